package io.tms.agent;

import io.tms.agent.store.SiteBackup;
import java.nio.file.Path;

/**
 * {@code tms backup} and {@code tms restore} for the agent image, which has the agent's classpath
 * but not the {@code tms} command:
 * {@code java -cp @/app/jib-classpath-file io.tms.agent.BackupMain backup DATA_DIR FILE} (online,
 * beside the running agent: {@code kubectl exec}) or {@code ... restore FILE DATA_DIR} (agent
 * stopped, into a directory without a site database). Exit 2 on a bad argument, 1 on a failure.
 */
public final class BackupMain {
  private BackupMain() {}

  public static void main(String[] args) {
    if (args.length != 3 || !(args[0].equals("backup") || args[0].equals("restore"))) {
      System.err.println("usage: BackupMain backup DATA_DIR BACKUP_FILE | restore BACKUP_FILE DATA_DIR");
      System.exit(2);
    }
    try {
      SiteBackup.Checked done = args[0].equals("backup")
          ? SiteBackup.backup(Path.of(args[1]), Path.of(args[2]))
          : SiteBackup.restore(Path.of(args[1]), Path.of(args[2]));
      System.out.printf("%s of site %s: %s (%d bytes, %d BOLs, hash chains verified)%n", args[0], done.site(),
          done.file(), done.bytes(), done.bols());
    } catch (IllegalArgumentException e) {
      System.err.println(args[0] + ": " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      System.err.println(args[0] + " failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
