package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.auth.ApiTokens;
import io.tms.api.pki.EdgeSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's sites get their identity the way a real site does (docs/pki.md): the cloud runs its CA
 * and the mTLS edge listener and no plain-HTTP edge; the demo, as the operator, asks the admin API
 * for one bootstrap token per site; each agent enrolls over EST through its fault proxy and syncs
 * over mTLS. At the end it checks that each site enrolled exactly once (a restarted agent kept its
 * certificate) and that the admin port refuses the edge routes.
 */
final class DemoPki {
  private DemoPki() {}

  /**
   * The CA with {@code TMS_CA_PASSPHRASE} if set, else a random passphrase kept (0600) in the data
   * directory, so a run on the same {@code --data} opens the same CA. The default 30-day lifetime:
   * the agents run on simulated time, but their certificates follow real time (as TLS does), so a
   * run of minutes or hours never reaches the renewal point and each site keeps one certificate.
   */
  static EdgeSettings edge(DemoOptions options) throws IOException {
    String pass = System.getenv("TMS_CA_PASSPHRASE");
    if (pass == null || pass.isBlank()) {
      Path file = options.dataDir().resolve("cloud-ca.passphrase");
      if (Files.exists(file)) {
        pass = Files.readString(file, StandardCharsets.UTF_8).strip();
      } else {
        pass = ApiTokens.newSecret();
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pass, StandardCharsets.UTF_8);
      }
    }
    return EdgeSettings.disabled().withCa(pass, "127.0.0.1", 0);
  }

  /** A one-time bootstrap token for the site, from the admin API as an operator would ask. */
  static String bootstrapToken(DemoHttp http, URI cloud, String site) throws IOException {
    return http.send("POST", cloud.resolve("v1/sites/" + site + "/bootstrap-tokens"), null, null)
        .expect(201, "POST /v1/sites/" + site + "/bootstrap-tokens").json().path("token").asText();
  }

  /** The enrollment line for a site from its agent's status. */
  static String enrolled(SiteRun s) {
    JsonNode st = s.status();
    JsonNode cert = st == null ? null : st.path("certificate");
    if (cert == null || absent(cert.path("serial"))) {
      return "site " + s.code + ": no certificate yet (status " + (st == null ? "unknown" : cert) + ")";
    }
    return "site " + s.code + ": enrolled with its bootstrap token at " + s.cloud + " (EST, through its fault proxy), "
        + "certificate " + cert.path("serial").asText() + " until " + cert.path("notAfter").asText()
        + "; syncing over mTLS";
  }

  /**
   * Each site: exactly one certificate, issued by enrollment, not revoked, the one its agent holds
   * now; and the admin port answers {@code /edge/} with 403 (no plain-HTTP edge). Adds what is
   * wrong to {@code failures}; returns the report line.
   */
  static String check(DemoHttp http, URI cloud, List<SiteRun> sites, List<String> failures) {
    List<String> counts = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (SiteRun s : sites) {
      try {
        JsonNode list = http.get(cloud.resolve("v1/sites/" + s.code + "/certificates"))
            .expect(200, "GET /v1/sites/" + s.code + "/certificates").json();
        counts.add(s.code + " " + list.size());
        JsonNode mine = s.status() == null ? null : s.status().path("certificate").path("serial");
        if (list.size() != 1 || !"ENROLL".equals(list.get(0).path("via").asText())
            || !absent(list.get(0).path("revokedAt")) || mine == null
            || !list.get(0).path("serial").asText().equals(mine.asText())) {
          wrong.add(s.code + " certificates " + list + ", agent holds " + mine);
        }
      } catch (IOException | RuntimeException e) {
        wrong.add(s.code + " certificates unreadable: " + e.getMessage());
      }
    }
    String plain;
    try {
      DemoHttp.Reply r = http.get(cloud.resolve("edge/v1/sites/" + sites.getFirst().code + "/changes?after=0"));
      plain = r.status() == 403 && r.body().contains("EDGE_REQUIRES_MTLS") ? "off" : "ANSWERED " + r.status();
    } catch (IOException | RuntimeException e) {
      plain = "unknown (" + e.getMessage() + ")";
    }
    if (!plain.equals("off")) {
      wrong.add("the admin port served the edge routes in plain HTTP: " + plain);
    }
    if (!wrong.isEmpty()) {
      synchronized (failures) {
        failures.add("site certificates: " + String.join("; ", wrong));
      }
    }
    return "site certificates " + String.join(", ", counts) + (wrong.isEmpty() ? " (each enrolled once, kept across restarts)" : " WRONG")
        + "; plain-HTTP edge " + plain;
  }

  private static boolean absent(JsonNode n) {
    return n.isMissingNode() || n.isNull();
  }
}
