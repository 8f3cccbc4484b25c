package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.AuthConfig;
import io.tms.api.store.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tms audit verify} against a real cloud: 0 on an intact chain, 1 once a row is edited, 2 without a token. */
class AuditCommandTest {
  @TempDir Path dir;

  @Test
  void an_intact_audit_log_verifies_and_an_edited_one_does_not() throws Exception {
    String token = ApiTokens.newSecret();
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", null); Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE tms");
      }
      String url = "jdbc:postgresql://localhost:" + pg.port() + "/tms";
      try (Cloud cloud = Cloud.start(CloudConfig.external(url, "postgres", null).withHttp("127.0.0.1", 0),
          AuthConfig.defaults().withAdminToken(token))) {
        String base = "http://127.0.0.1:" + cloud.port();
        assertThat(run("audit", "verify", "--cloud", base, "--token", token)).isZero();
        assertThat(run("audit", "verify", "--cloud", base, "--token", "tms_wrong")).isEqualTo(2);
        cloud.database().jdbi().useTransaction(h -> {
          h.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
          h.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1");
          h.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        });
        assertThat(run("audit", "verify", "--cloud", base, "--token", token)).isEqualTo(1);
      }
    }
  }

  private static int run(String... args) {
    return new CommandLine(new TmsCommand()).execute(args);
  }
}
