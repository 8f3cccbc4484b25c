package io.tms.agent;

import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.WriteContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A plain entry point for one edge agent, configured by environment variables only
 * ({@code TMS_SITE}, {@code TMS_DATA}, {@code TMS_HTTP_HOST}, {@code TMS_HTTP_PORT}, {@code TMS_SEED},
 * {@code TMS_CLOUD_URL}, and the {@code TMS_BACKUP_*} schedule read by the agent): what the
 * {@code tms-agent} container image runs, without picocli. {@code tms agent} is the same with
 * options. Prints {@code tms agent: site SITE ready on http://HOST:PORT} once it serves.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    AgentConfig config;
    try {
      config = fromEnvironment(System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("tms agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    Agent agent = Agent.start(config, Clock.systemUTC(), seeder(config.siteCode(), config.seed()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "agent-shutdown"));
    String shown = "0.0.0.0".equals(config.httpHost()) ? "127.0.0.1" : config.httpHost();
    System.out.println("tms agent: site " + config.siteCode() + " ready on http://" + shown + ":" + agent.port());
    System.out.flush();
    stopped.await();
  }

  /** The configuration the environment describes; errors name the variable. */
  public static AgentConfig fromEnvironment(UnaryOperator<String> env) {
    String site = value(env, "TMS_SITE", null);
    if (site == null) {
      throw new IllegalArgumentException("TMS_SITE must be set");
    }
    Path data = Path.of(value(env, "TMS_DATA", "data/" + site));
    String port = value(env, "TMS_HTTP_PORT", Integer.toString(AgentConfig.DEFAULT_PORT));
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TMS_HTTP_PORT must be a number (was " + port + ")");
    }
    String cloud = value(env, "TMS_CLOUD_URL", null);
    String seed = value(env, "TMS_SEED", "none");
    if (!"none".equalsIgnoreCase(seed)) {
      SeedProfile.parse(seed); // fails naming the allowed values
    }
    return AgentConfig.of(site, data)
        .withHttp(value(env, "TMS_HTTP_HOST", "0.0.0.0"), p)
        .withSeed(seed)
        .withCloud(cloud == null ? null : URI.create(cloud));
  }

  /** The seed to write in the agent's first transaction, or null for {@code none}. */
  public static Consumer<WriteContext> seeder(String site, String seed) {
    if (seed == null || seed.isBlank() || seed.equalsIgnoreCase("none")) {
      return null;
    }
    SeedProfile profile = SeedProfile.parse(seed);
    return ctx -> DemoSeed.apply(ctx, new MasterDataStore(),
        DemoSeed.generate(site, profile, LocalDate.ofInstant(ctx.now(), DemoSeed.ZONE)));
  }

  private static String value(UnaryOperator<String> env, String key, String dflt) {
    String v = env.apply(key);
    return v == null || v.isBlank() ? dflt : v.trim();
  }
}
