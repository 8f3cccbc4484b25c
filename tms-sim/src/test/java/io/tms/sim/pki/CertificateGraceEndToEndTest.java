package io.tms.sim.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.identity.SiteCredentials;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.pki.EdgeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site whose certificate expired during a long outage: within the grace period it renews with
 * the expired certificate; past it the cloud refuses, the agent says it needs a new bootstrap
 * token, and a new token enrolls it again. Cloud and agent share a clock the test moves, so no
 * test waits for 30 days.
 */
class CertificateGraceEndToEndTest {
  @TempDir Path dir;

  @Test
  void an_expired_certificate_renews_within_grace_and_needs_a_new_token_after_it() throws Exception {
    Moving clock = new Moving();
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0)
        .withEdge(EdgeSettings.disabled().withCa("grace test passphrase", "127.0.0.1", 0)), clock)) {
      SiteCertificateEndToEndTest.site(cloud, "GRC1");
      Path data = dir.resolve("GRC1");
      SiteCertificateEndToEndTest.prepare(data, "GRC1");
      Instant firstExpiry;
      try (Agent agent = agent(cloud, data, clock, SiteCertificateEndToEndTest.token(cloud, "GRC1"))) {
        SiteCertificateEndToEndTest.await("enrollment", () -> agent.credentials().enrolled());
        firstExpiry = agent.credentials().certificate().getNotAfter().toInstant();
      }

      clock.advance(Duration.ofDays(40)); // offline for 40 days: expired 10 days ago, within the 30-day grace
      try (Agent agent = agent(cloud, data, clock, null)) {
        SiteCredentials creds = agent.credentials();
        SiteCertificateEndToEndTest.await("renewal with the expired certificate", () -> creds.renewals() == 1);
        assertThat(creds.certificate().getNotAfter().toInstant()).isAfter(clock.instant().plus(Duration.ofDays(29)));
        SiteCertificateEndToEndTest.await("a heartbeat with the new certificate", () -> {
          Instant reported = cloud.database().jdbi().withHandle(h -> h.createQuery(
              "SELECT certificate_expires FROM site_state WHERE site_code = 'GRC1'").mapTo(Instant.class).findOne()
              .orElse(null));
          return reported != null && reported.isAfter(firstExpiry);
        });
      }

      clock.advance(Duration.ofDays(70)); // expired 40 days ago: beyond grace
      try (Agent agent = agent(cloud, data, clock, null)) {
        SiteCredentials creds = agent.credentials();
        SiteCertificateEndToEndTest.await("the refusal", () -> creds.state() == SiteCredentials.State.NEEDS_BOOTSTRAP_TOKEN);
        assertThat(String.valueOf(creds.describe().get("lastError"))).contains("CERTIFICATE_EXPIRED");
        assertThat(SiteCertificateEndToEndTest.status(agent).get("certificate").get("state").asText())
            .isEqualTo("NEEDS_BOOTSTRAP_TOKEN");
        assertThat(creds.renewals()).isZero();
      }

      // a new token brings it back
      try (Agent agent = agent(cloud, data, clock, SiteCertificateEndToEndTest.token(cloud, "GRC1"))) {
        SiteCredentials creds = agent.credentials();
        SiteCertificateEndToEndTest.await("enrollment with the new token", () -> creds.state() == SiteCredentials.State.VALID
            && creds.certificate().getNotAfter().toInstant().isAfter(clock.instant()));
      }
    }
  }

  private static Agent agent(Cloud cloud, Path data, Clock clock, String token) {
    return Agent.start(AgentConfig.of("GRC1", data).withHttp("127.0.0.1", 0)
        .withCloud(URI.create("https://127.0.0.1:" + cloud.edgePort())).withBootstrapToken(token), clock, null,
        SiteCertificateEndToEndTest.FAST);
  }

  /** A clock the test moves by hand. Thread-safe. */
  static final class Moving extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
