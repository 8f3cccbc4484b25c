package io.tms.cli;

import io.tms.agent.store.SiteBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tms restore}: puts a backup in place as the database of a data directory that holds none
 * (never over a site by accident), after checking it. Then start the agent on that directory.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a site's database from a backup into an empty data directory.",
        "Checks integrity and the outbox hash chain first; the agent must not run on --data."})
final class RestoreCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, description = "The backup file (from tms backup or TMS_BACKUP_DIR).")
  Path from;

  @Option(names = "--data", required = true, description = "The data directory to restore into (no site.db in it).")
  Path data;

  @Override
  public Integer call() {
    try {
      SiteBackup.Checked done = SiteBackup.restore(from, data);
      System.out.printf("tms restore: site %s restored into %s (%d BOLs, %s)%n", done.site(), data, done.bols(),
          BackupCommand.lanes(done));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("tms restore: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("tms restore: failed: " + e.getMessage());
      return 1;
    }
  }
}
