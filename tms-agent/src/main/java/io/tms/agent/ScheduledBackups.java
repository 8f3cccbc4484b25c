package io.tms.agent;

import io.tms.agent.store.SiteBackup;
import io.tms.agent.sync.UplinkSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own backup schedule: every {@code interval} an online backup of the site database
 * ({@link SiteBackup}) into {@code dir} as {@code <SITE>-<yyyyMMdd'T'HHmmss'Z'>.db}, keeping the
 * newest {@code keep}. Off unless {@code TMS_BACKUP_DIR} is set: the directory should be another
 * volume than the data directory. Driven by {@link #tick(Instant)} so tests call it directly.
 * Called from the single chores thread; not meant for concurrent ticks.
 */
public final class ScheduledBackups {
  private static final Logger log = LoggerFactory.getLogger(ScheduledBackups.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Where, how often and how many; {@code dir == null} means off. */
  public record Settings(Path dir, Duration interval, int keep) {
    public Settings {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("TMS_BACKUP_INTERVAL must be > 0 (was " + interval + ")");
      }
      if (keep < 1) {
        throw new IllegalArgumentException("TMS_BACKUP_KEEP must be >= 1 (was " + keep + ")");
      }
    }

    public boolean enabled() {
      return dir != null;
    }

    /** {@code TMS_BACKUP_DIR} (off when unset), {@code TMS_BACKUP_INTERVAL} (6h), {@code TMS_BACKUP_KEEP} (8). */
    public static Settings from(UnaryOperator<String> env) {
      String dir = env.apply("TMS_BACKUP_DIR");
      String keep = env.apply("TMS_BACKUP_KEEP");
      int k;
      try {
        k = keep == null || keep.isBlank() ? 8 : Integer.parseInt(keep.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("TMS_BACKUP_KEEP must be a whole number (was " + keep + ")");
      }
      return new Settings(dir == null || dir.isBlank() ? null : Path.of(dir.trim()),
          UplinkSettings.duration(env, "TMS_BACKUP_INTERVAL", Duration.ofHours(6)), k);
    }
  }

  private final String siteCode;
  private final Path dataDir;
  private final Settings settings;
  private Instant last;

  public ScheduledBackups(String siteCode, Path dataDir, Settings settings) {
    this.siteCode = siteCode;
    this.dataDir = dataDir;
    this.settings = settings;
  }

  /** Takes a backup if one is due at {@code now}; returns it, or null when none was due. */
  public SiteBackup.Checked tick(Instant now) {
    if (!settings.enabled() || (last != null && now.isBefore(last.plus(settings.interval())))) {
      return null;
    }
    Path target = settings.dir().resolve(siteCode + "-" + STAMP.format(now) + ".db");
    long t0 = System.nanoTime();
    SiteBackup.Checked done = SiteBackup.backup(dataDir, target);
    last = now;
    log.info("site={} backup={} bytes={} bols={} in {} ms", siteCode, target, done.bytes(), done.bols(),
        (System.nanoTime() - t0) / 1_000_000);
    prune();
    return done;
  }

  private void prune() {
    try (Stream<Path> files = Files.list(settings.dir())) {
      List<Path> mine = files.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(siteCode + "-") && n.endsWith(".db");
      }).sorted().toList(); // the stamp sorts by time
      for (Path old : mine.subList(0, Math.max(0, mine.size() - settings.keep()))) {
        Files.deleteIfExists(old);
        log.info("site={} backup={} removed (keeping {})", siteCode, old, settings.keep());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune backups in " + settings.dir(), e);
    }
  }
}
