package io.tms.sim.demo;

import io.tms.sim.fault.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code --chaos}: every few seconds one site's link (never one in a scripted outage) is cut, slowed,
 * reset or black-holed for a moment, and once, a little before the middle of the run, one agent is
 * killed with {@code kill -9} and started again on the same data and port. The reconciliation at the
 * end must still come out clean. Used by the demo's control thread only; the restart runs on a
 * thread of its own so the view keeps refreshing.
 */
final class Chaos {
  private final List<SiteRun> sites;
  private final Random random;
  private final long killAtNanos;
  private final Map<SiteRun, Long> restoreAt = new HashMap<>();
  private long nextAt;
  private boolean killed;
  private volatile Thread restart;

  Chaos(List<SiteRun> sites, long seed, long startNanos, Duration run) {
    this.sites = sites;
    this.random = new Random(seed);
    this.killAtNanos = startNanos + run.toNanos() * 2 / 5;
    this.nextAt = startNanos + Duration.ofSeconds(2).toNanos();
  }

  /** Does what is due at {@code now} (System.nanoTime); returns the event lines. */
  List<String> tick(long now, List<String> failures) {
    List<String> events = new ArrayList<>();
    restoreAt.entrySet().removeIf(e -> {
      if (now < e.getValue()) {
        return false;
      }
      SiteRun s = e.getKey();
      if ("chaos".equals(s.linkFault)) {
        s.restoreLink();
        events.add(s.code + ": chaos over, link passes again");
      }
      return true;
    });
    if (now >= nextAt) {
      nextAt = now + Duration.ofMillis(2_000 + random.nextInt(4_000)).toNanos();
      List<SiteRun> free = sites.stream().filter(s -> s.linkFault == null).toList();
      if (!free.isEmpty()) {
        SiteRun s = free.get(random.nextInt(free.size()));
        long ms = 800 + random.nextInt(2_500);
        String what = switch (random.nextInt(4)) {
          case 0 -> {
            s.link.cut();
            yield "link cut";
          }
          case 1 -> {
            long latency = 100 + random.nextInt(400);
            s.link.delay(FaultProxy.Direction.UPSTREAM, Duration.ofMillis(latency));
            s.link.delay(FaultProxy.Direction.DOWNSTREAM, Duration.ofMillis(latency));
            yield "link delayed " + latency + " ms each way";
          }
          case 2 -> {
            s.link.reset();
            yield "connections reset";
          }
          default -> {
            s.link.blackHole();
            yield "link black-holed";
          }
        };
        s.linkFault = "chaos";
        restoreAt.put(s, now + Duration.ofMillis(ms).toNanos());
        events.add(s.code + ": chaos, " + what + " for " + ms + " ms");
      }
    }
    if (!killed && now >= killAtNanos) {
      killed = true;
      SiteRun s = sites.get(random.nextInt(sites.size()));
      events.add(s.code + ": chaos, agent killed with kill -9 (pid " + s.agent().pid() + "), restarting");
      restart = Thread.ofPlatform().name("demo-restart-" + s.code).start(() -> {
        try {
          s.killAndRestart();
        } catch (Exception e) {
          synchronized (failures) {
            failures.add(s.code + " did not restart after kill -9: " + e.getMessage());
          }
        }
      });
    }
    return events;
  }

  /** Waits for a restart in progress, then lets every chaos-faulted link pass. */
  void stop() throws InterruptedException {
    Thread t = restart;
    if (t != null) {
      t.join(Duration.ofSeconds(150));
    }
    for (SiteRun s : restoreAt.keySet()) {
      if ("chaos".equals(s.linkFault)) {
        s.restoreLink();
      }
    }
    restoreAt.clear();
  }
}
