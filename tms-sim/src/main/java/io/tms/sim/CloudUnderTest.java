package io.tms.sim;

import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.AuthConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cloud replica for a benchmark, on a PostgreSQL the benchmark started: either its own JVM
 * ({@code io.tms.api.CloudMain}, so its RSS, CPU time and start-up are its own) or inside this JVM
 * (smoke runs; no process figures). Why a class of its own: the fleet and footprint benchmarks
 * both measure the cloud as a process.
 */
public final class CloudUnderTest implements AutoCloseable {
  private final URI base;
  private final AgentUnderTest process;
  private final Cloud inProcess;
  private final String adminToken;

  private CloudUnderTest(URI base, AgentUnderTest process, Cloud inProcess, String adminToken) {
    this.adminToken = adminToken;
    this.base = base;
    this.process = process;
    this.inProcess = inProcess;
  }

  /**
   * @param javaCommand java and its options, without class path and main class; null runs the
   *     cloud in this JVM
   * @param env extra environment of the child ({@code TMS_*} settings)
   */
  public static CloudUnderTest start(String dbUrl, List<String> javaCommand, Map<String, String> env, Path log)
      throws IOException {
    String token = ApiTokens.newSecret(); // the admin of this run
    if (javaCommand == null) {
      Cloud c = Cloud.start(CloudConfig.external(dbUrl, "postgres", null).withHttp("127.0.0.1", 0)
          .withEdgePlaintext(), // benchmarks drive the edge routes in plain HTTP (dev/bench only)
          AuthConfig.fromEnvironment(System.getenv()).withAdminToken(token));
      return new CloudUnderTest(URI.create("http://127.0.0.1:" + c.port()), null, c, token);
    }
    List<String> cmd = new ArrayList<>(javaCommand);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tms.api.CloudMain"));
    Map<String, String> all = new HashMap<>(env);
    all.putAll(Map.of("TMS_DB_URL", dbUrl, "TMS_DB_USER", "postgres", "TMS_HTTP_HOST", "127.0.0.1",
        "TMS_HTTP_PORT", "0", "TMS_EDGE_PLAINTEXT", "true", "TMS_ADMIN_TOKEN", token));
    AgentUnderTest p = AgentUnderTest.start(cmd, all, log, Duration.ofSeconds(120));
    String b = p.base().toString();
    return new CloudUnderTest(URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b), p, null, token);
  }

  /** A bearer token of an admin of this cloud, for the admin API. */
  public String adminToken() {
    return adminToken;
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public URI base() {
    return base;
  }

  public boolean ownProcess() {
    return process != null;
  }

  /** Process start → ready line; null in this JVM. */
  public Duration startToReady() {
    return process == null ? null : process.startToReady();
  }

  /** VmRSS in MiB, NaN in this JVM. */
  public double rssMiB() {
    return process == null ? Double.NaN : process.rssMiB();
  }

  /** CPU time (user + system) the cloud process used so far, NaN in this JVM. */
  public double cpuSeconds() {
    return process == null ? Double.NaN : process.cpuSeconds();
  }

  /** Registers sites as rows of {@code site} (one batch; the admin API would cost a request each). */
  public static void registerSites(String dbUrl, List<String> codes, String namePrefix) throws Exception {
    try (Connection c = DriverManager.getConnection(dbUrl, "postgres", null);
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO site (code, name, zone) VALUES (?, ?, 'America/Chicago') ON CONFLICT (code) DO NOTHING")) {
      for (String code : codes) {
        ps.setString(1, code);
        ps.setString(2, namePrefix + " " + code);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    } else {
      inProcess.close();
    }
  }
}
