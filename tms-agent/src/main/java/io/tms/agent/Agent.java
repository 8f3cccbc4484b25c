package io.tms.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.tms.agent.http.TerminalApi;
import io.tms.agent.identity.SiteCredentials;
import io.tms.agent.http.TerminalSecurity;
import io.tms.agent.security.EdgeAuditLog;
import io.tms.agent.security.TerminalCredentials;
import io.tms.agent.security.TerminalStore;
import io.tms.agent.service.InventoryService;
import io.tms.agent.service.LoadingService;
import io.tms.agent.service.PinVerifier;
import io.tms.agent.service.SiteQueries;
import io.tms.agent.store.MasterData;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.OutboxRetention;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.agent.store.WriteContext;
import io.tms.agent.sync.Backoff;
import io.tms.agent.sync.CloudLink;
import io.tms.agent.sync.FeedApplier;
import io.tms.agent.sync.FeedClient;
import io.tms.agent.sync.HeartbeatClient;
import io.tms.agent.sync.UplinkClient;
import io.tms.agent.sync.UplinkSettings;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.protocol.v1.sync.ChangesV1;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent's composition root: opens the site database, wires the services with
 * constructors, and serves the terminal API. Runs entirely from local data.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final SiteDatabase db;
  private final MasterDataStore masterDataStore = new MasterDataStore();
  private final AtomicReference<MasterData> masterData = new AtomicReference<>();
  private final Javalin http;
  private final Instant startedAt;
  private final java.util.concurrent.ScheduledExecutorService chores;
  private final CloudLink link;
  /** Sync loops (feed, uplink, heartbeat) started after the terminal API; closed first. */
  private final java.util.List<AutoCloseable> syncLoops = new java.util.ArrayList<>();
  private final FeedApplier feedApplier;
  private final TerminalCredentials terminals = new TerminalCredentials(new TerminalStore());
  private volatile FeedClient feed;
  private volatile HeartbeatClient heartbeat;

  private volatile UplinkClient uplink;
  /** The site's certificate (an https cloud), or null. */
  private final SiteCredentials credentials;
  private final Clock clock;
  private final UplinkSettings uplinkSettings;
  private OutboxStore outboxStore;
  private boolean closed;

  private Agent(AgentConfig config, Clock clock, Consumer<WriteContext> seed, UplinkSettings uplinkSettings) {
    long t0 = System.nanoTime();
    this.config = config;
    this.startedAt = clock.instant();
    ScheduledBackups backups = new ScheduledBackups(config.siteCode(), config.dataDir(),
        ScheduledBackups.Settings.from(System::getenv));
    this.db = SiteDatabase.open(config.dataDir(), config.siteCode(), clock, config.maxWriteBatch());
    this.clock = clock;
    this.uplinkSettings = uplinkSettings;
    // certificates follow real time even on a simulated clock (TMS_CLOCK): TLS peers check real time
    this.credentials = config.mutualTls()
        ? new SiteCredentials(config.siteCode(), config.dataDir(), config.cloudUrl(), config.bootstrapToken(),
            SimulationClock.certificateClock(clock))
        : null;
    this.link = new CloudLink(config.cloudUrl(), config.siteCode(), clock,
        credentials == null ? null : credentials::tls);
    ObjectMapper json = Json.mapper();
    OutboxStore outbox = new OutboxStore(json);
    this.outboxStore = outbox;
    this.feedApplier = new FeedApplier(config.siteCode(), masterDataStore, outbox);

    db.writer().write(ctx -> {
      outbox.loadDurable(ctx); // first: what is stored now is on disk (SiteDatabase flushed it at open)
      if (seed != null) {
        seed.accept(ctx);
      }
      refreshMasterData(ctx);
      terminals.refresh(ctx);
      return null;
    });
    MasterData md = masterData.get();
    if (md.site() != null && !md.site().code().equals(config.siteCode())) {
      throw new IllegalStateException(
          "data directory " + config.dataDir() + " belongs to site " + md.site().code() + ", not " + config.siteCode());
    }

    Supplier<MasterData> current = this::requireMasterData;
    SiteMetrics metrics = new SiteMetrics(config.siteCode());
    LoadingService loading = new LoadingService(
        current, config.maxPinFailures(), new PinVerifier(), config.authorizationTtl(), json, outbox, metrics);
    InventoryService inventory = new InventoryService(current, outbox);
    SiteQueries queries = new SiteQueries(db.reader(), current, json, clock, outbox);
    metrics.bind(queries, db.writer());
    TerminalApi api = new TerminalApi(
        json, db.writer(), loading, inventory, queries, metrics, () -> status(queries), this::ready,
        config.maxBodyBytes(), new TerminalSecurity(terminals, new EdgeAuditLog(outbox), db.reader(), json));
    this.http = api.create().start(config.httpHost(), config.httpPort());
    Housekeeping housekeeping = new Housekeeping(db.writer(), Duration.ofHours(24), config.siteCode(),
        new OutboxRetention(uplinkSettings.retention(), uplinkSettings.telemetryBudgetBytes()));
    this.chores = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("site-chores-" + config.siteCode()).factory());
    chores.scheduleWithFixedDelay(() -> {
      try {
        housekeeping.tick(clock.instant());
      } catch (RuntimeException e) {
        log.warn("site={} housekeeping failed", config.siteCode(), e);
      }
    }, 1, 10, java.util.concurrent.TimeUnit.MINUTES);
    chores.scheduleWithFixedDelay(() -> {
      try {
        backups.tick(clock.instant());
      } catch (RuntimeException e) {
        log.warn("site={} scheduled backup failed", config.siteCode(), e);
      }
    }, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    if (credentials != null) {
      credentials.start(link, () -> startSync(json)); // sync starts once the site has its certificate
    } else if (!link.standalone()) {
      startSync(json);
    }
    log.info("site={} agent ready on port {} in {} ms (bays={}, tanks={}, drivers={})",
        config.siteCode(), http.port(), (System.nanoTime() - t0) / 1_000_000,
        md.bays().size(), md.tanks().size(), md.driversByCard().size());
  }

  /** Starts the feed, uplink and heartbeat loops (once; not after close). */
  private synchronized void startSync(ObjectMapper json) {
    if (closed || feed != null) {
      return;
    }
    this.feed = new FeedClient(link, json, this::feedRev, answer -> applyChanges(answer).rev(),
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), new java.util.SplittableRandom()),
        FeedClient.Settings.defaults());
    syncLoops.add(feed);
    this.uplink = new UplinkClient(link, db.reader(), db.writer(), db.writer().durableOutbox()::through, json, clock,
        uplinkSettings);
    db.writer().durableOutbox().onAdvance(uplink::wake);
    syncLoops.add(uplink.start());
    heartbeat = new HeartbeatClient(link, json, clock, HeartbeatClient.interval(System.getenv("TMS_HEARTBEAT_INTERVAL")),
        startedAt, Agent.class.getPackage().getImplementationVersion(), uplink::backlog,
        this::feedRev, config.dataDir(),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new java.util.SplittableRandom())).start();
    syncLoops.add(heartbeat);
  }

  /** Starts an agent; {@code seed} (may be null) writes master data in the first transaction. */
  public static Agent start(AgentConfig config, Clock clock, Consumer<WriteContext> seed) {
    return new Agent(config, clock, seed, UplinkSettings.fromEnvironment());
  }

  /** As {@link #start(AgentConfig, Clock, Consumer)} with explicit uplink and outbox settings. */
  public static Agent start(AgentConfig config, Clock clock, Consumer<WriteContext> seed, UplinkSettings uplink) {
    return new Agent(config, clock, seed, uplink);
  }

  /** The uplink, or null when the site runs standalone. */
  public UplinkClient uplink() {
    return uplink;
  }

  /**
   * Reloads the in-memory master data inside a unit of work that changed it; the new copy is
   * published once that work commits.
   */
  public void refreshMasterData(WriteContext ctx) {
    MasterData fresh = masterDataStore.load(ctx.handle());
    ctx.afterCommit(() -> masterData.set(fresh));
    if (masterData.get() == null) {
      masterData.set(fresh);
    }
  }

  /**
   * Applies one answer of the change feed in one write unit with its rev; the new master data is
   * served once that unit commits.
   */
  public FeedApplier.Applied applyChanges(ChangesV1 answer) {
    return db.writer().write(ctx -> {
      FeedApplier.Applied applied = feedApplier.apply(ctx, answer);
      if (applied.snapshot() || applied.changes() > 0) {
        refreshMasterData(ctx);
        terminals.refresh(ctx);
      }
      return applied;
    });
  }

  /** The change-feed rev the site has applied (0: never synced). */
  public long feedRev() {
    return db.reader().withHandle(FeedApplier::rev);
  }

  /** The change-feed loop, or null when the site runs standalone. */
  public FeedClient feed() {
    return feed;
  }

  private MasterData requireMasterData() {
    MasterData md = masterData.get();
    if (md == null || md.site() == null) {
      throw new DomainException(ErrorCode.UNAVAILABLE, "site " + config.siteCode() + " has no master data yet");
    }
    return md;
  }

  private boolean ready() {
    MasterData md = masterData.get();
    return md != null && md.site() != null;
  }

  private Map<String, Object> status(SiteQueries queries) {
    Map<String, Object> s = new LinkedHashMap<>();
    MasterData md = masterData.get();
    s.put("site", config.siteCode());
    s.put("name", md == null || md.site() == null ? null : md.site().name());
    s.put("version", Agent.class.getPackage().getImplementationVersion());
    s.put("startedAt", startedAt.toString());
    s.put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
    s.put("link", link.state().name());
    s.put("lastSync", link.lastContact() == null ? null : link.lastContact().toString());
    s.put("cloud", link.describe());
    s.put("heartbeat", heartbeat == null ? null : heartbeat.describe());
    s.put("certificate", credentials == null ? null : credentials.describe());
    s.put("feedRev", feed == null ? null : feedRev());
    s.put("outbox", queries.outbox());
    if (uplink != null) {
      s.put("uplink", uplink.describe());
    }
    s.put("bolsIssued", queries.bolCount());
    s.put("activeLoads", queries.activeLoadCount());
    s.put("writer", Map.of("commits", db.writer().commits(), "units", db.writer().units()));
    return s;
  }

  public int port() {
    return http.port();
  }

  public SiteDatabase database() {
    return db;
  }

  public MasterDataStore masterDataStore() {
    return masterDataStore;
  }

  public AgentConfig config() {
    return config;
  }

  /** The site's certificate (an https cloud), or null. */
  public SiteCredentials credentials() {
    return credentials;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    if (credentials != null) {
      credentials.close();
    }
    for (AutoCloseable loop : syncLoops.reversed()) {
      try {
        loop.close();
      } catch (Exception e) {
        log.warn("site={} error while stopping {}", config.siteCode(), loop, e);
      }
    }
    chores.shutdownNow();
    http.stop();
    db.close();
    log.info("site={} agent stopped", config.siteCode());
  }
}
