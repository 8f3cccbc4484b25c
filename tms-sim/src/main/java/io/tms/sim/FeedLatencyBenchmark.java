package io.tms.sim;

import io.tms.agent.Agent;
import io.tms.agent.AgentConfig;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a master-data write in the cloud takes to be in force at a connected site: from the
 * commit of the change to the commit of its application at the agent (the in-memory master data is
 * swapped at that commit). One cloud with embedded PostgreSQL and one agent, in this JVM, over
 * loopback HTTP; changes are written one at a time, a few milliseconds apart.
 */
public final class FeedLatencyBenchmark {
  /** The figures of one run. */
  public record Figures(int changes, double p50Ms, double p99Ms, double maxMs, double snapshotMs) {
    @Override
    public String toString() {
      return String.format("feed latency over %d changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
          + "(first snapshot applied %.0f ms after the agent started)", changes, p50Ms, p99Ms, maxMs, snapshotMs);
    }
  }

  private FeedLatencyBenchmark() {}

  public static Figures run(Path dir, int changes) throws Exception {
    try (Cloud cloud = Cloud.start(CloudConfig.embedded(dir.resolve("cloud")).withHttp("127.0.0.1", 0).withEdgePlaintext())) {
      FeedSite site = new FeedSite(cloud.database().jdbi(), "BENCH1");
      long head = site.create();
      long t0 = System.nanoTime();
      AgentConfig config = AgentConfig.of("BENCH1", dir.resolve("agent")).withHttp("127.0.0.1", 0)
          .withCloud(URI.create("http://127.0.0.1:" + cloud.port()));
      try (Agent agent = Agent.start(config, Clock.systemUTC(), null)) {
        if (!agent.feed().awaitRev(head, Duration.ofSeconds(60))) {
          throw new IllegalStateException("the agent did not take its snapshot");
        }
        double snapshotMs = (System.nanoTime() - t0) / 1e6;
        LatencyRecorder latency = new LatencyRecorder();
        for (int i = 0; i < changes; i++) {
          Thread.sleep(5 + ThreadLocalRandom.current().nextInt(20));
          long rev = site.write(site.driver(true, "Dana Driver v" + i));
          long committed = System.nanoTime();
          if (!agent.feed().awaitRev(rev, Duration.ofSeconds(30))) {
            throw new IllegalStateException("change " + rev + " did not reach the agent in 30 s");
          }
          latency.record(System.nanoTime() - committed);
        }
        return new Figures(changes, latency.percentileMs(0.50), latency.percentileMs(0.99), latency.maxMs(),
            snapshotMs);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("tms-feed-bench");
    System.out.println(run(dir, changes));
  }
}
