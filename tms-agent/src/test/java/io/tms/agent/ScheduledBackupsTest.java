package io.tms.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.agent.store.SiteBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent's own backup schedule, driven by tick(now) against a running agent's real database. */
class ScheduledBackupsTest extends AgentTestBase {

  @Test
  void backs_up_when_due_and_keeps_the_newest() throws Exception {
    Path backups = dir.resolve("backups");
    var settings = ScheduledBackups.Settings.from(Map.of(
        "TMS_BACKUP_DIR", backups.toString(), "TMS_BACKUP_INTERVAL", "1h", "TMS_BACKUP_KEEP", "2")::get);
    ScheduledBackups schedule = new ScheduledBackups(TestSite.CODE, dir, settings);
    Instant t = Instant.parse("2026-03-01T06:00:00Z");

    SiteBackup.Checked first = schedule.tick(t);
    assertThat(first).isNotNull();
    assertThat(first.ok()).isTrue();
    assertThat(first.site()).isEqualTo(TestSite.CODE);
    assertThat(first.file().getFileName().toString()).isEqualTo(TestSite.CODE + "-20260301T060000Z.db");
    assertThat(schedule.tick(t.plus(Duration.ofMinutes(59)))).as("not due yet").isNull();
    assertThat(schedule.tick(t.plus(Duration.ofHours(1)))).isNotNull();
    assertThat(schedule.tick(t.plus(Duration.ofHours(2)))).isNotNull();

    try (Stream<Path> files = Files.list(backups)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(TestSite.CODE + "-20260301T070000Z.db", TestSite.CODE + "-20260301T080000Z.db");
    }
  }

  @Test
  void off_unless_a_directory_is_set_and_bad_settings_name_the_variable() {
    var off = ScheduledBackups.Settings.from(Map.<String, String>of()::get);
    assertThat(off.enabled()).isFalse();
    assertThat(new ScheduledBackups(TestSite.CODE, dir, off).tick(Instant.now())).isNull();
    assertThatThrownBy(() -> ScheduledBackups.Settings.from(Map.of("TMS_BACKUP_KEEP", "0")::get))
        .hasMessageContaining("TMS_BACKUP_KEEP");
    assertThatThrownBy(() -> ScheduledBackups.Settings.from(Map.of("TMS_BACKUP_INTERVAL", "soon")::get))
        .hasMessageContaining("TMS_BACKUP_INTERVAL");
  }

  @Test
  void a_backup_never_overwrites_and_a_restore_never_lands_on_a_site() {
    Path target = dir.resolve("copy.db");
    SiteBackup.backup(dir, target);
    assertThatThrownBy(() -> SiteBackup.backup(dir, target)).hasMessageContaining("already exists");
    assertThatThrownBy(() -> SiteBackup.restore(target, dir)).hasMessageContaining("already holds a site database");
    assertThatThrownBy(() -> SiteBackup.restore(dir.resolve("nope.db"), dir.resolve("x")))
        .hasMessageContaining("from:");
  }

  @Test
  void a_synced_site_whose_acknowledged_events_were_pruned_backs_up_and_a_tampered_copy_is_refused() throws Exception {
    for (int i = 0; i < 3; i++) {
      approved(TestSite.GOOD_CARD, TestSite.TRUCK); // each decision is an outbox event
    }
    long events = count("outbox");
    assertThat(events).isGreaterThanOrEqualTo(3);
    // the cloud acknowledged the first two business events; retention prunes them
    agent.database().writer().write(ctx -> {
      ctx.sql().update("UPDATE outbox_head SET acked_seq = 2 WHERE lane = 'BUSINESS'");
      return new io.tms.agent.store.OutboxRetention(Duration.ZERO, 1 << 20).apply(ctx, TestSite.NOW.plusSeconds(1));
    });
    assertThat(count("outbox")).isEqualTo(events - 2);

    Path copy = dir.resolve("copy.db");
    SiteBackup.Checked done = SiteBackup.backup(dir, copy);
    assertThat(done.ok()).as(done.lanes().toString()).isTrue();
    assertThat(done.lanes().getFirst().events()).isEqualTo(events - 2);

    // a changed event body breaks the chain: the copy is refused
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + copy); var st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE outbox_business SET body = body || ' ' WHERE seq = 3")).isOne();
    }
    assertThat(SiteBackup.check(copy).ok()).isFalse();
    assertThatThrownBy(() -> SiteBackup.restore(copy, dir.resolve("restored")))
        .hasMessageContaining("does not verify");
    assertThat(dir.resolve("restored").resolve("site.db")).doesNotExist();
  }

  @Test
  void agent_main_reads_its_environment_and_names_bad_variables() {
    AgentConfig c = AgentMain.fromEnvironment(Map.of("TMS_SITE", "HOU1", "TMS_DATA", "/var/lib/tms",
        "TMS_HTTP_PORT", "8081", "TMS_CLOUD_URL", "https://cloud.example:9090")::get);
    assertThat(c.siteCode()).isEqualTo("HOU1");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/tms"));
    assertThat(c.httpPort()).isEqualTo(8081);
    assertThat(c.cloudUrl()).hasToString("https://cloud.example:9090");
    assertThatThrownBy(() -> AgentMain.fromEnvironment(Map.<String, String>of()::get)).hasMessageContaining("TMS_SITE");
    assertThatThrownBy(() -> AgentMain.fromEnvironment(Map.of("TMS_SITE", "HOU1", "TMS_HTTP_PORT", "x")::get))
        .hasMessageContaining("TMS_HTTP_PORT");
    assertThatThrownBy(() -> AgentMain.fromEnvironment(Map.of("TMS_SITE", "HOU1", "TMS_SEED", "huge")::get))
        .hasMessageContaining("seed");
  }
}
