package io.tms.cli;

import io.tms.agent.Json;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.protocol.v1.Lane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tms verify}: walks a site's outbox hash chain, lane by lane. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a site's outbox: seqs 1..n without gaps and every hash chained (exit 1 if broken).")
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--site", required = true, description = "Site code.")
  String site;

  @Option(names = "--data", required = true, description = "The site's data directory.")
  Path data;

  @Override
  public Integer call() {
    if (!Files.exists(data.resolve(SiteDatabase.FILE_NAME))) {
      System.err.println("tms verify: no " + SiteDatabase.FILE_NAME + " in " + data);
      return 2;
    }
    boolean ok = true;
    try (SiteDatabase db = SiteDatabase.open(data, site, Clock.systemUTC(), 1)) {
      OutboxStore outbox = new OutboxStore(Json.mapper());
      for (Lane lane : Lane.values()) {
        var check = db.reader().withHandle(h -> outbox.verify(h, lane));
        System.out.printf("lane %-9s events %8d  %s%n", lane, check.events(), check.ok() ? "ok" : "BROKEN: " + check.problem());
        ok &= check.ok();
      }
    }
    return ok ? 0 : 1;
  }
}
