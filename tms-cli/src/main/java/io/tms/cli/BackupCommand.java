package io.tms.cli;

import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tms backup}: an online backup of a site's SQLite database, taken beside the running agent
 * (a separate process reading the same file; the agent keeps loading). A command rather than an
 * admin endpoint: it needs no network, no credentials and no agent at all, works the same in a pod
 * ({@code kubectl exec}) and on a stopped site, and the agent schedules the same backup itself
 * ({@code TMS_BACKUP_DIR}).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Online backup of a site's database to a file, safe while the agent runs.",
        "The copy is checked (integrity, outbox hash chain) before it gets its name."})
final class BackupCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "The site's data directory (holds site.db).")
  Path data;

  @Option(names = "--to", required = true, description = "The backup file to write; must not exist.")
  Path to;

  @Override
  public Integer call() {
    try {
      long t0 = System.nanoTime();
      SiteBackup.Checked done = SiteBackup.backup(data, to);
      System.out.printf("tms backup: site %s -> %s (%d bytes, %d BOLs, %s) in %d ms%n", done.site(), done.file(),
          done.bytes(), done.bols(), lanes(done), (System.nanoTime() - t0) / 1_000_000);
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("tms backup: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("tms backup: failed: " + e.getMessage());
      return 1;
    }
  }

  static String lanes(SiteBackup.Checked checked) {
    StringBuilder b = new StringBuilder();
    for (OutboxStore.ChainCheck c : checked.lanes()) {
      b.append(b.isEmpty() ? "" : ", ").append(c.lane().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
          .append(c.events()).append(c.ok() ? " events chained" : " BROKEN: " + c.problem());
    }
    return b.toString();
  }
}
