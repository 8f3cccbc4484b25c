package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.SimulationClock;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedData;
import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.agent.security.SeedTerminals;
import io.tms.api.auth.ApiTokens;
import io.tms.api.auth.AuthConfig;
import io.tms.sim.CloudSeeder;
import io.tms.sim.TerminalSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs {@code tms demo}: the cloud in this process (embedded PostgreSQL), each site's agent as its
 * own process with its link to the cloud through a {@link io.tms.sim.fault.FaultProxy}, the fleet's
 * master data seeded through the admin API, simulated trucks at every site, and the script on the
 * simulated timeline. Ends after the duration, on {@link #requestStop()} (Ctrl-C) or when an agent
 * dies: stops the trucks, lets every link pass, waits for each site to drain, reconciles and prints
 * {@code reconciliation: ok} or {@code reconciliation: FAILED <reason>} as its last line.
 *
 * <p>Simulated time: the agents get {@code TMS_CLOCK} (start = the 1st of this month, 06:00 at the
 * sites, so the seeded month's allocations cover the whole run) and run {@code speed} times faster
 * than real time; the trucks' think, drive and pump times are scaled the same way. The cloud keeps
 * real time. One control thread drives everything; {@link #requestStop()} may be called from any.
 */
public final class Demo {
  private static final DateTimeFormatter SIM_TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm").withZone(DemoSeed.ZONE);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

  private final DemoOptions options;
  private final AgentLauncher launcher;
  private final PrintStream out;
  private final DemoHttp http = new DemoHttp();
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<String> failures = new ArrayList<>();
  private final List<SiteRun> sites = new ArrayList<>();
  private volatile Cloud cloud;
  private SimulationClock clock;
  private Instant simZero;
  private ConsoleView view;
  private CardRevocation revocation;
  private AllocationSqueeze squeeze;
  private TankReceipts receipts;

  public Demo(DemoOptions options, AgentLauncher launcher, PrintStream out) {
    this.options = options;
    this.launcher = launcher;
    this.out = out;
  }

  /** Ends a running demo early (Ctrl-C): it still drains, reconciles and prints its verdict. */
  public void requestStop() {
    stopRequested.set(true);
  }

  /** Plays the demo; returns the exit status (0 when the reconciliation is clean). */
  public int run() {
    Thread hook = new Thread(this::closeAll, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook); // a kill (SIGTERM) still stops every child process
    try {
      return play();
    } catch (Exception e) {
      out.println();
      out.println("reconciliation: FAILED the demo could not run: " + e.getMessage());
      return 2;
    } finally {
      closeAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down; the hook has run or is running
      }
    }
  }

  private int play() throws Exception {
    Files.createDirectories(options.dataDir());
    String adminToken = ApiTokens.newSecret(); // a fresh admin for this run, shown below for curl
    // the sites enroll with the cloud's CA and sync over the mTLS edge listener; no plain-HTTP edge
    cloud = Cloud.start(CloudConfig.embedded(options.dataDir().resolve("cloud")).withHttp("127.0.0.1", 0)
            .withEdge(DemoPki.edge(options)),
        AuthConfig.fromEnvironment(System.getenv()).withAdminToken(adminToken));
    URI cloudUri = URI.create("http://127.0.0.1:" + cloud.port() + "/");
    http.authorize(cloudUri, adminToken);
    Jdbi db = cloud.database().jdbi();
    List<Integer> ports = freePorts(options.sites().size());
    out.println("endpoint cloud-admin " + base(cloudUri));
    out.println("endpoint cloud-edge https://127.0.0.1:" + cloud.edgePort());
    for (int i = 0; i < options.sites().size(); i++) {
      out.println("endpoint site-" + options.sites().get(i).code() + " http://127.0.0.1:" + ports.get(i));
      // the demo reads status and BOLs, and tries the revoked card, as the site's seed terminal
      http.authorize(URI.create("http://127.0.0.1:" + ports.get(i) + "/"), SeedTerminals.SIMULATOR_SECRET);
    }
    out.println("tms demo: cloud admin token (for curl -H 'Authorization: Bearer …'): " + adminToken);
    out.flush();

    LocalDate today = LocalDate.now(DemoSeed.ZONE).withDayOfMonth(1);
    clock = new SimulationClock(today.atTime(6, 0).atZone(DemoSeed.ZONE).toInstant(), Instant.now(), options.speed(),
        Clock.systemUTC());
    out.printf("tms demo: %d sites, %s real at x%s = %s simulated; data in %s%n", options.sites().size(),
        shortDuration(options.duration()), trim(options.speed()), shortDuration(options.simulatedDuration()),
        options.dataDir());

    long t0 = System.nanoTime();
    List<SeedData> seeds = FleetSeed.generate(options.sites(), today);
    CloudSeeder seeder = new CloudSeeder(cloudUri, adminToken);
    int created = 0;
    for (SeedData d : seeds) {
      // the shared people and allocations once, then each site's own terminal and rights; the
      // cloud's reserve round (every few seconds) grants the reserves
      created += seeder.seed(d == seeds.getFirst() ? d : siteOnly(d), false);
    }
    out.printf("cloud: master data seeded through the admin API (%d records, %d drivers, %d allocations) in %.1f s%n",
        created, seeds.getFirst().drivers().size(), seeds.getFirst().allocations().size(), (System.nanoTime() - t0) / 1e9);

    Map<String, String> env = Map.of(SimulationClock.ENV, clock.setting());
    for (int i = 0; i < seeds.size(); i++) {
      SeedData d = seeds.get(i);
      sites.add(new SiteRun(d, DemoOptions.terminals(d.profile()), options.dataDir().resolve(d.site().code()),
          ports.get(i), cloud.edgePort(), DemoPki.bootstrapToken(http, cloudUri, d.site().code()), launcher, env));
    }
    t0 = System.nanoTime();
    startAgents();
    out.printf("sites: %d agent processes started and holding the cloud's master data in %.1f s%n", sites.size(),
        (System.nanoTime() - t0) / 1e9);
    for (SiteRun s : sites) {
      out.printf("site %s: %s terminal, %d bays, %d tanks, agent pid %d, link via fault proxy :%d, %d trucks%n",
          s.code, s.seed.profile().cliName(), s.seed.bays().size(), s.seed.tanks().size(), s.agent().pid(),
          s.link.port(), s.terminals);
    }
    pollStatuses();
    for (SiteRun s : sites) {
      out.println(DemoPki.enrolled(s));
    }
    receipts = new TankReceipts(http, options.randomSeed());
    receipts.open(sites).forEach(out::println);

    simZero = clock.instant();
    long runStart = System.nanoTime();
    for (SiteRun s : sites) {
      s.startSimulator(new TerminalSimulator.Options(s.terminals, options.duration().multipliedBy(10), 0,
          TerminalSimulator.Mode.REALISTIC, options.randomSeed() * 31 + s.code.hashCode(), options.speed()));
    }
    view = new ConsoleView(out, options.ui());
    script(cloudUri, db, seeds, runStart);

    // ---------------------------------------------------------------- the end
    view.line("");
    out.println("tms demo: stopping the trucks; every link passes; waiting for each site to drain ...");
    Map<String, TerminalSimulator.Result> results = new HashMap<>();
    for (SiteRun s : sites) {
      results.put(s.code, s.stopSimulator());
      if (s.linkFault != null) {
        s.restoreLink();
      }
    }
    drain(db);
    CardRevocation revocation = this.revocation;
    if (revocation != null) {
      revocation.check(sites).forEach(e -> out.println("[" + simElapsed() + "] " + e));
      failures.addAll(revocation.failures());
    }
    for (String line : squeeze == null ? List.<String>of() : squeeze.report()) {
      out.println(line);
    }
    String pki = DemoPki.check(http, cloudUri, sites, failures);
    Reconciliation.Result r = new Reconciliation(http, cloudUri, db).run(sites, failures);
    out.println("reconciliation:");
    for (Reconciliation.SiteBooks b : r.sites()) {
      TerminalSimulator.Result sim = results.get(b.site());
      out.printf("  %-6s BOLs at the site %6d, in the cloud %6d, missing %d, duplicates %d, unknown %d; loads %d, denials %s%n",
          b.site(), b.siteBols(), b.cloudBols(), b.missing(), b.duplicates(), b.unknown(),
          sim == null ? 0 : sim.cycles(), sim == null ? "{}" : sim.denials());
    }
    for (Reconciliation.TankBooks t : r.tanks()) {
      out.printf("  %-6s tanks %d: below zero %d, cloud book differs %d; lowest book %,.0f gal (lowest fill seen %.0f %%),"
              + " receipts %d%n", t.site(), t.tanks(), t.negative(), t.differing(), t.lowestBook(),
          100 * receipts.lowestFill(t.site()), receipts.receipts(t.site()));
    }
    out.printf("  allocations %d: oversold %d, site reserves overspent %d%n", r.allocations(), r.oversold(), r.overspent());
    out.println("  " + pki);
    out.println(r.failure() == null ? "reconciliation: ok" : "reconciliation: FAILED " + r.failure());
    out.flush();
    return r.failure() == null ? 0 : 1;
  }

  /** The control loop: outages, the script's events, chaos, watching the children, the view. */
  private void script(URI cloudUri, Jdbi db, List<SeedData> seeds, long runStart) throws Exception {
    revocation = new CardRevocation(http, cloudUri, db, seeds.getFirst().roster());
    squeeze = new AllocationSqueeze(http, cloudUri, db);
    Chaos chaos = options.chaos() ? new Chaos(sites, options.randomSeed(), runStart, options.duration()) : null;
    boolean squeezeReported = false;
    long end = runStart + options.duration().toNanos();
    long nextDraw = 0;
    while (!stopRequested.get() && System.nanoTime() < end) {
      long now = System.nanoTime();
      double progress = (now - runStart) / (double) options.duration().toNanos();
      Duration simElapsed = Duration.between(simZero, clock.instant());
      for (DemoOptions.Outage o : options.outages()) {
        SiteRun s = site(o.site());
        boolean inside = simElapsed.compareTo(o.start()) >= 0 && simElapsed.compareTo(o.end()) < 0;
        if (inside && !"outage".equals(s.linkFault)) {
          s.link.cut();
          s.linkFault = "outage";
          event(s.code + ": link to the cloud DOWN for " + shortDuration(o.length()) + " (simulated); the site keeps loading");
        } else if (!inside && "outage".equals(s.linkFault)) {
          s.restoreLink();
          JsonNode st = s.status();
          event(s.code + ": link UP again; backlog of " + (st == null ? "?" : st.path("outbox").path("BUSINESS").path("depth").asLong())
              + " business events drains");
        }
      }
      if (!revocation.done() && progress >= 0.30) {
        event(revocation.revoke());
      }
      revocation.check(sites).forEach(this::event);
      if (!squeeze.done() && progress >= 0.55) {
        event(squeeze.squeeze());
      }
      if (squeeze.done() && !squeezeReported && progress >= 0.85) {
        squeeze.report().forEach(this::event);
        squeezeReported = true;
      }
      receipts.tick(sites, now).forEach(this::event);
      if (chaos != null) {
        chaos.tick(now, failures).forEach(this::event);
      }
      for (SiteRun s : sites) {
        if (s.diedUnexpectedly()) {
          String why = s.code + " agent exited unexpectedly (log: " + s.dir + ")";
          synchronized (failures) {
            failures.add(why);
          }
          event(why + "; ending the demo");
          stopRequested.set(true);
        }
      }
      pollStatuses();
      if (now >= nextDraw) {
        draw(db, runStart);
        nextDraw = now + (options.ui() ? Duration.ofSeconds(1) : Duration.ofSeconds(5)).toNanos();
      }
      Thread.sleep(200); // the control loop's pace, not a wait for anything
    }
    if (chaos != null) {
      chaos.stop();
    }
    draw(db, runStart);
  }

  /**
   * Waits until every site has sent its whole business lane and holds every master-data change
   * made until the trucks stopped (the revoked card, the reserve asks). The head as of then, not
   * the moving one: the reserve rounds keep appending.
   */
  private void drain(Jdbi db) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    long nextNote = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long head = db.withHandle(h -> h.createQuery("SELECT rev FROM feed_head").mapTo(Long.class).one());
    while (true) {
      pollStatuses();
      List<String> behind = new ArrayList<>();
      for (SiteRun s : sites) {
        JsonNode st = s.status();
        long depth = st == null ? -1 : st.path("outbox").path("BUSINESS").path("depth").asLong(-1);
        long rev = st == null ? -1 : st.path("feedRev").asLong(-1);
        if (depth != 0 || rev < head || s.diedUnexpectedly()) {
          behind.add(s.code + " (outbox " + depth + ", feed rev " + rev + "/" + head + ")");
        }
      }
      if (behind.isEmpty()) {
        out.println("tms demo: every site drained its outbox and holds the cloud's changes up to feed rev " + head);
        return;
      }
      if (System.nanoTime() > deadline) {
        synchronized (failures) {
          failures.add("not drained within " + DRAIN_TIMEOUT.toSeconds() + " s: " + String.join(", ", behind));
        }
        return;
      }
      if (System.nanoTime() > nextNote) {
        out.println("tms demo: waiting for " + String.join(", ", behind));
        nextNote = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      Thread.sleep(200);
    }
  }

  /** The site's own part of its seed: without the people and allocations another site's seed wrote. */
  private static SeedData siteOnly(SeedData d) {
    return new SeedData(d.site(), d.profile(), d.today(), d.products(), d.tanks(), d.bays(), List.of(), List.of(),
        List.of(), List.of(), d.liftingRights(), List.of(), d.reserveGallons(), d.openingNetGallons(), d.roster());
  }

  private void startAgents() throws Exception {
    List<Thread> starting = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (SiteRun s : sites) {
      starting.add(Thread.ofPlatform().name("demo-start-" + s.code).start(() -> {
        try {
          s.startAgent();
        } catch (IOException e) {
          synchronized (errors) {
            errors.add(s.code + ": " + e.getMessage());
          }
        }
      }));
    }
    for (Thread t : starting) {
      t.join();
    }
    if (!errors.isEmpty()) {
      throw new IOException("agents did not start: " + String.join("; ", errors));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (SiteRun s : sites) {
      while (true) {
        DemoHttp.Reply r;
        try {
          r = http.get(s.base.resolve("readyz"));
        } catch (IOException e) {
          r = null;
        }
        if (r != null && r.status() == 200) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(s.code + " took no master data from the cloud within 120 s (log in " + s.dir + ")");
        }
        Thread.sleep(100);
      }
    }
  }

  private void pollStatuses() {
    for (SiteRun s : sites) {
      try {
        DemoHttp.Reply r = http.get(s.base.resolve("v1/status"));
        if (r.status() == 200) {
          s.status(r.json());
        }
      } catch (IOException | RuntimeException e) {
        // restarting or stopping: keep the last status
      }
    }
  }

  private void draw(Jdbi db, long runStart) {
    Map<String, Long> cloudBols = new HashMap<>();
    Map<String, Long> reserveLeft = new HashMap<>();
    db.useHandle(h -> {
      h.createQuery("SELECT site_code, count(*) FROM bol GROUP BY site_code")
          .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> cloudBols.put(e.getKey(), e.getValue()));
      h.createQuery("SELECT site_code, sum(granted_total - released_total - consumed_total) FROM reserve_account GROUP BY site_code")
          .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> reserveLeft.put(e.getKey(), e.getValue()));
    });
    List<ConsoleView.Row> rows = sites.stream()
        .map(s -> new ConsoleView.Row(s, cloudBols.getOrDefault(s.code, 0L), reserveLeft.getOrDefault(s.code, 0L)))
        .toList();
    Instant siteNow = clock.instant();
    String header = String.format("tms demo  cloud %s  site time %s (%s of %s, x%s)  real %s of %s%s",
        base(URI.create("http://127.0.0.1:" + cloud.port())), SIM_TIME.format(siteNow), simElapsed(),
        shortDuration(options.simulatedDuration()), trim(options.speed()),
        shortDuration(Duration.ofNanos(System.nanoTime() - runStart)), shortDuration(options.duration()),
        options.chaos() ? "  CHAOS" : "");
    view.render(header, rows, siteNow);
  }

  private void event(String text) {
    view.event(simElapsed(), text);
  }

  private String simElapsed() {
    return simZero == null ? "+0s" : "+" + shortDuration(Duration.between(simZero, clock.instant()));
  }

  private SiteRun site(String code) {
    return sites.stream().filter(s -> s.code.equals(code)).findFirst().orElseThrow();
  }

  /** Stops every child: the trucks, each agent process (and anything it started), the proxies, the cloud. */
  private void closeAll() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Thread> closing = new ArrayList<>();
    for (SiteRun s : sites) { // in parallel: each agent takes a moment to stop cleanly
      closing.add(Thread.ofPlatform().name("demo-close-" + s.code).start(s::close));
    }
    for (Thread t : closing) {
      try {
        t.join(Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Cloud c = cloud;
    if (c != null) {
      c.close();
    }
  }

  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static String base(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String trim(double speed) {
    return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
  }

  /** 3d04h, 14h05m, 5m30s, 12s. */
  static String shortDuration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 86_400) {
      return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3_600);
    }
    if (s >= 3_600) {
      return String.format("%dh%02dm", s / 3_600, s % 3_600 / 60);
    }
    if (s >= 60) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }
}
