package io.tms.cli;

import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.agent.security.SeedTerminals;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedProfile;
import io.tms.sim.TerminalSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tms demo}: a standalone site on the demo data with simulated terminals at its gate and
 * bays, a status line every few seconds, and a summary at the end. (The cloud and more sites join
 * the demo as they are built.)
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the system: a site on built-in demo data with simulated trucks loading.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--site", defaultValue = "DEMO1", description = "Site code.")
  String site;

  @Option(names = "--duration", defaultValue = "5m", converter = DurationConverter.class,
      description = "How long to run (e.g. 60s, 10m); Ctrl-C stops earlier.")
  Duration duration;

  @Option(names = "--speed", defaultValue = "60", description = "Simulation speed-up of driver and pump times.")
  double speed;

  @Option(names = "--terminals", defaultValue = "12", description = "Trucks in circulation at the site.")
  int terminals;

  @Option(names = "--port", defaultValue = "8080", description = "Terminal API port (0 = any free port).")
  int port;

  @Option(names = "--data", description = "Data directory (default: a fresh temporary one).")
  Path data;

  @Option(names = "--no-ui", description = "Plain log lines instead of the refreshing status line.")
  boolean noUi;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? data : Files.createTempDirectory("tms-demo-");
    Agent agent = Agent.start(AgentConfig.of(site, dir).withHttp("127.0.0.1", port).withSeed("demo"),
        Clock.systemUTC(), AgentCommand.seeder(site, "demo"));
    URI base = URI.create("http://127.0.0.1:" + agent.port() + "/");
    System.out.println("endpoint site-" + site + " " + base);
    System.out.println("tms demo: site " + site + " on demo data in " + dir + "; " + terminals
        + " trucks, speed x" + speed + ", for " + duration.toSeconds() + " s (Ctrl-C to stop)");
    System.out.println("  try: curl -H 'Authorization: Bearer " + SeedTerminals.SIMULATOR_SECRET + "' " + base
        + "v1/status   (also v1/bays, v1/tanks, v1/bols, v1/audit)");

    var roster = DemoSeed.roster(site, SeedProfile.DEMO, LocalDate.now(DemoSeed.ZONE));
    var sim = new TerminalSimulator(base, roster, new TerminalSimulator.Options(
        terminals, duration, 0, TerminalSimulator.Mode.REALISTIC, System.nanoTime(), speed));
    Thread hook = new Thread(sim::stop, "demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread status = Thread.ofPlatform().daemon().name("demo-status").start(() -> printStatus(base));
    TerminalSimulator.Result result;
    try {
      result = sim.run();
    } finally {
      status.interrupt();
      agent.close();
    }
    System.out.println();
    System.out.printf("tms demo: %d loads completed, %d requests, %d server errors, p99 %.1f ms; denials %s%n",
        result.cycles(), result.requests(), result.errors(), result.latencies().percentileMs(0.99), result.denials());
    return result.errors() == 0 ? 0 : 1;
  }

  private void printStatus(URI base) {
    HttpClient http = HttpClient.newHttpClient();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(noUi ? 10_000 : 2_000);
        var s = json.readTree(http.send(HttpRequest.newBuilder(base.resolve("v1/status"))
                .header("Authorization", "Bearer " + SeedTerminals.SIMULATOR_SECRET).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        String line = String.format("site %s  link %s  BOLs %d  loading %d  outbox %d",
            s.get("site").asText(), s.get("link").asText(), s.get("bolsIssued").asLong(),
            s.get("activeLoads").asLong(), s.get("outbox").get("BUSINESS").get("depth").asLong());
        if (noUi) {
          System.out.println(line);
        } else {
          System.out.print("\r" + line + "   ");
          System.out.flush();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the agent is stopping; the summary follows
      }
    }
  }
}
