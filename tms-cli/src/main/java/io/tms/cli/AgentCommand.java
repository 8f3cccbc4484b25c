package io.tms.cli;

import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.SimulationClock;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.WriteContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tms agent}: runs the edge agent of one site until stopped. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run the edge agent of one terminal site (SQLite, terminal API).",
        "Works standalone: with --seed it loads a built-in data set and needs no cloud."})
final class AgentCommand implements Callable<Integer> {

  @Option(names = "--site", defaultValue = "${env:TMS_SITE}", required = true,
      description = "Site code, e.g. DEMO1 (env TMS_SITE).")
  String site;

  @Option(names = "--data", defaultValue = "${env:TMS_DATA}",
      description = "Data directory for the site's SQLite file (env TMS_DATA; default ./data/<site>).")
  Path data;

  @Option(names = "--host", defaultValue = "${env:TMS_HTTP_HOST:-0.0.0.0}", description = "Listen address (env TMS_HTTP_HOST).")
  String host;

  @Option(names = "--port", defaultValue = "${env:TMS_HTTP_PORT:-8080}",
      description = "Terminal API port; 0 picks a free one (env TMS_HTTP_PORT).")
  int port;

  @Option(names = "--seed", defaultValue = "${env:TMS_SEED:-none}",
      description = "Built-in data set: none, demo, small, large, stress (env TMS_SEED). Never resets what the site did.")
  String seed;

  @Option(names = "--cloud", defaultValue = "${env:TMS_CLOUD_URL}",
      description = "Cloud service URL: https://cloud:9443 (mTLS edge listener) or, dev only, http://cloud:9090 (env TMS_CLOUD_URL). Without it the site runs standalone.")
  java.net.URI cloud;

  @Option(names = "--bootstrap-token", defaultValue = "${env:TMS_BOOTSTRAP_TOKEN}",
      description = "One-time token that enrolls the site with the cloud's CA on first start of an https cloud "
          + "(env TMS_BOOTSTRAP_TOKEN; prefer the variable). See docs/pki.md.")
  String bootstrapToken;

  @Option(names = "--pin-max-failures", defaultValue = "3", description = "Wrong PINs in a row that lock a card.")
  int pinMaxFailures;

  @Option(names = "--authorization-ttl", defaultValue = "4h", converter = DurationConverter.class,
      description = "How long an approval at the gate stays valid.")
  Duration authorizationTtl;

  @Option(names = "--exit-when-ready", hidden = true,
      description = "Stop as soon as ready: a training run for the AOT cache (see AgentAotCache).")
  boolean exitWhenReady;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : Path.of("data", site);
    AgentConfig defaults = AgentConfig.of(site, dir);
    AgentConfig config = new AgentConfig(site, dir, host, port, seed, pinMaxFailures, authorizationTtl,
        defaults.maxBodyBytes(), defaults.maxWriteBatch(), cloud, bootstrapToken);
    Clock clock = SimulationClock.fromSetting(System.getenv(SimulationClock.ENV)); // the demo's sim time
    Agent agent = Agent.start(config, clock, seeder(config.siteCode(), config.seed()));
    if (exitWhenReady) {
      agent.close();
      System.out.println("tms agent: site " + site + " was ready; exiting (--exit-when-ready)");
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "agent-shutdown"));
    String shown = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
    System.out.println("tms agent: site " + site + " ready on http://" + shown + ":" + agent.port());
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The seed to write in the agent's first transaction, or null. */
  static Consumer<WriteContext> seeder(String site, String seed) {
    return io.tms.agent.AgentMain.seeder(site, seed);
  }

}
