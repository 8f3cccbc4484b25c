package io.tms.domain.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many sites, random outages, random loads, random admin changes, the policy running on the cloud
 * side: after every step the escrow invariant holds, no site spends beyond what the cloud granted
 * it, the allocation is never oversold, running totals never go down and replayed reports change
 * nothing. A step is one simulated hour.
 *
 * <p>The network: a site that is offline receives no reserve records and its reports wait in its
 * outbox; once back, records and reports arrive in order, some of them twice.
 */
class EscrowSimulationTest {
  private static final String ALLOCATION = "A1";
  private static final ReservePolicy POLICY = new ReservePolicy(Duration.ofHours(12), 500, 0.75);
  private static final int RATE_WINDOW = 24;

  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= 300; s++) {
      seeds.add(s);
    }
    return seeds;
  }

  sealed interface Report permits Consumed, Released {}

  record Consumed(String reference, long gallons, int step) implements Report {}

  record Released(long releasedTotal) implements Report {}

  /** One site as it is on the ground: its local reserve and its two queues. */
  static final class Site {
    final String code;
    boolean online = true;
    long grantedSeen;
    long requestedSeen;
    long released;
    Reserve local;
    final List<Long> holds = new ArrayList<>();
    final Deque<long[]> downlink = new ArrayDeque<>();
    final Deque<Report> uplink = new ArrayDeque<>();
    final List<Report> delivered = new ArrayList<>();
    int nextRef;

    Site(String code) {
      this.code = code;
      this.local = new Reserve(ALLOCATION, 0, 0, 0);
    }

    /** Applies a reserve record: the site's usable grant is what the cloud granted less what it gave back. */
    void apply(long granted, long requested) {
      assertThat(granted).as("granted total never goes down").isGreaterThanOrEqualTo(grantedSeen);
      assertThat(requested).as("requested total never goes down").isGreaterThanOrEqualTo(requestedSeen);
      grantedSeen = granted;
      requestedSeen = requested;
      local = new Reserve(ALLOCATION, grantedSeen - released, local.consumed(), local.held());
      answerAsks();
    }

    /** The site's side of a release request (sticky: keeps answering as loads settle). */
    void answerAsks() {
      long give = ReleaseRule.toRelease(requestedSeen, released, local.available());
      if (give > 0) {
        released += give;
        local = new Reserve(ALLOCATION, local.granted() - give, local.consumed(), local.held());
        uplink.add(new Released(released));
      }
    }

    void startLoad(Random r) {
      if (local.available() > 0) {
        long preset = 1 + r.nextLong(Math.min(local.available(), 1_000));
        local = local.hold(preset);
        holds.add(preset);
      }
    }

    void completeLoad(Random r, int step) {
      if (!holds.isEmpty()) {
        long held = holds.remove(r.nextInt(holds.size()));
        long metered = r.nextInt(10) == 0 ? 0 : held - r.nextLong(Math.max(1, held / 10));
        local = local.settle(held, metered);
        if (metered > 0) {
          uplink.add(new Consumed(code + "-" + (++nextRef), metered, step));
        }
        answerAsks();
      }
    }
  }

  /** The cloud: the escrow, the references it has seen (as its store keeps them), recent consumption. */
  static final class Cloud {
    Escrow escrow;
    final Set<String> references = new HashSet<>();
    final Map<String, List<Consumed>> recent = new HashMap<>();
    final Set<String> participants = new TreeSet<>();

    void receive(String site, Report report) {
      switch (report) {
        case Consumed c -> {
          if (references.add(c.reference())) {
            escrow = escrow.consumed(site, c.gallons());
            recent.computeIfAbsent(site, k -> new ArrayList<>()).add(c);
          }
        }
        case Released rel -> escrow = escrow.released(site, rel.releasedTotal());
      }
    }

    List<SiteDemand> demands(int step) {
      List<SiteDemand> out = new ArrayList<>();
      for (String site : participants) {
        long sum = recent.getOrDefault(site, List.of()).stream()
            .filter(c -> c.step() > step - RATE_WINDOW).mapToLong(Consumed::gallons).sum();
        out.add(SiteDemand.of(site, (double) sum / RATE_WINDOW));
      }
      return out;
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void no_allocation_is_ever_oversold(long seed) {
    Random r = new Random(seed);
    boolean adminChanges = seed % 2 == 0;
    int siteCount = 3 + r.nextInt(10);
    long startTotal = 2_000 + r.nextLong(60_000);
    Map<String, Site> sites = new HashMap<>();
    Cloud cloud = new Cloud();
    cloud.escrow = Escrow.of(ALLOCATION, startTotal, List.of());
    for (int i = 0; i < siteCount; i++) {
      String code = "S" + i;
      sites.put(code, new Site(code));
      cloud.participants.add(code);
    }
    List<String> codes = new ArrayList<>(new TreeSet<>(sites.keySet()));
    long maxTotal = startTotal;

    for (int step = 0; step < 400; step++) {
      Escrow before = cloud.escrow;
      int action = r.nextInt(100);
      Site s = sites.get(codes.get(r.nextInt(codes.size())));
      if (action < 8) {
        s.online = !s.online; // outage starts or ends
      } else if (action < 40) {
        s.startLoad(r);
      } else if (action < 65) {
        s.completeLoad(r, step);
      } else if (action < 85) {
        deliver(r, cloud, sites, codes);
      } else if (action < 95) {
        round(cloud, sites, step);
      } else if (action < 98 && adminChanges) {
        long total = cloud.escrow.total() / 2 + r.nextLong(cloud.escrow.total() + 1);
        cloud.escrow = cloud.escrow.withTotal(total);
        maxTotal = Math.max(maxTotal, total);
      } else if (r.nextBoolean() && cloud.participants.size() > 1) {
        cloud.participants.remove(s.code); // lifting right withdrawn
      } else {
        cloud.participants.add(s.code);
      }
      check(cloud, sites, before, adminChanges);
    }

    // everyone back online, loads finished: the cloud's books converge to what happened on the ground
    for (Site s : sites.values()) {
      s.online = true;
      while (!s.holds.isEmpty()) {
        s.completeLoad(r, 400);
      }
    }
    for (int i = 0; i < 20; i++) {
      Escrow before = cloud.escrow;
      drainAll(cloud, sites);
      check(cloud, sites, before, adminChanges);
      before = cloud.escrow;
      round(cloud, sites, 400 + i);
      check(cloud, sites, before, adminChanges);
    }
    drainAll(cloud, sites);
    long consumed = 0;
    for (Site s : sites.values()) {
      SiteAccount a = cloud.escrow.account(s.code);
      assertThat(a.granted()).isEqualTo(s.grantedSeen);
      assertThat(a.released()).isEqualTo(s.released);
      assertThat(a.consumed()).isEqualTo(s.local.consumed());
      assertThat(a.pendingRelease() == 0 || s.local.available() == 0)
          .as("a site answers every ask it can: %s %s", a, s.local).isTrue();
      consumed += s.local.consumed();
    }
    assertThat(consumed).isLessThanOrEqualTo(maxTotal);
    if (!adminChanges) {
      assertThat(consumed).isLessThanOrEqualTo(startTotal);
    }
  }

  /** Online sites exchange a random part of what is queued, in order; some reports arrive twice. */
  private static void deliver(Random r, Cloud cloud, Map<String, Site> sites, List<String> codes) {
    for (String code : codes) {
      Site s = sites.get(code);
      if (!s.online) {
        continue;
      }
      for (int n = r.nextInt(s.downlink.size() + 1); n > 0; n--) {
        long[] rec = s.downlink.poll();
        s.apply(rec[0], rec[1]);
      }
      for (int n = r.nextInt(s.uplink.size() + 1); n > 0; n--) {
        Report rep = s.uplink.poll();
        cloud.receive(code, rep);
        s.delivered.add(rep);
        if (r.nextInt(5) == 0) {
          Escrow once = cloud.escrow;
          cloud.receive(code, rep);
          assertThat(cloud.escrow).as("a duplicated report changes nothing").isEqualTo(once);
        }
      }
      if (!s.delivered.isEmpty() && r.nextInt(10) == 0) {
        Escrow now = cloud.escrow;
        cloud.receive(code, s.delivered.get(r.nextInt(s.delivered.size())));
        assertThat(cloud.escrow).as("a replayed old report changes nothing").isEqualTo(now);
      }
    }
  }

  private static void drainAll(Cloud cloud, Map<String, Site> sites) {
    boolean more = true;
    while (more) {
      more = false;
      for (Site s : sites.values()) {
        while (!s.downlink.isEmpty()) {
          long[] rec = s.downlink.poll();
          s.apply(rec[0], rec[1]);
        }
        while (!s.uplink.isEmpty()) {
          cloud.receive(s.code, s.uplink.poll());
          more = true;
        }
      }
    }
  }

  /** One policy round; every site with a move gets its new running totals on its feed. */
  private static void round(Cloud cloud, Map<String, Site> sites, int step) {
    ReservePlan plan = POLICY.plan(cloud.escrow, cloud.demands(step), true);
    cloud.escrow = cloud.escrow.apply(plan);
    for (ReservePlan.Move m : plan.moves()) {
      SiteAccount a = cloud.escrow.account(m.siteCode());
      sites.get(m.siteCode()).downlink.add(new long[] {a.granted(), a.releaseRequested()});
    }
  }

  private static void check(Cloud cloud, Map<String, Site> sites, Escrow before, boolean adminChanges) {
    Escrow e = cloud.escrow;
    assertThat(e.committed() <= e.total() || e.committed() <= before.committed())
        .as("nothing is committed beyond the total: %s", e).isTrue();
    if (!adminChanges) {
      assertThat(e.committed()).isLessThanOrEqualTo(e.total());
    }
    long spentOrHeld = 0;
    for (Site s : sites.values()) {
      SiteAccount now = e.account(s.code);
      SiteAccount was = before.account(s.code);
      assertThat(now.granted()).isGreaterThanOrEqualTo(was.granted());
      assertThat(now.releaseRequested()).isGreaterThanOrEqualTo(was.releaseRequested());
      assertThat(now.released()).isGreaterThanOrEqualTo(was.released());
      assertThat(now.consumed()).isGreaterThanOrEqualTo(was.consumed());
      // the site's local rule (Reserve enforces consumed + held <= granted) against the cloud's books
      assertThat(s.local.consumed() + s.local.held()).isLessThanOrEqualTo(s.grantedSeen - s.released);
      assertThat(s.grantedSeen).as("a site never holds a grant the cloud did not make").isLessThanOrEqualTo(now.granted());
      assertThat(s.released).isGreaterThanOrEqualTo(now.released());
      assertThat(s.local.consumed()).isGreaterThanOrEqualTo(now.consumed());
      assertThat(now.overspent()).isFalse();
      spentOrHeld += s.local.consumed() + s.local.held();
    }
    assertThat(spentOrHeld).as("what sites loaded or hold is inside what the cloud committed")
        .isLessThanOrEqualTo(e.committed());
  }
}
