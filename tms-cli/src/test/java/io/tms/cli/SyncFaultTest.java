package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedData;
import io.tms.agent.seed.SeedProfile;
import io.tms.api.auth.ApiTokens;
import io.tms.api.store.EmbeddedDatabase;
import io.tms.sim.AgentUnderTest;
import io.tms.sim.CloudSeeder;
import io.tms.sim.LoopbackHttp;
import io.tms.sim.TerminalSimulator;
import io.tms.sim.fault.FaultProxy;
import io.tms.testkit.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults of issue 3, with real processes: a cloud replica ({@code tms cloud}) on a PostgreSQL
 * that outlives it, a site ({@code tms agent --cloud}) whose link runs through a {@link FaultProxy},
 * and simulated terminals loading trucks. After each fault the cloud holds exactly the site's BOLs
 * (and lines and inventory movements), each once, the cloud's cursor is at the site's last event,
 * and every allocation's escrow invariant holds. The cases run in order on one site, each adding
 * its loads to what is already there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncFaultTest {
  private static final String SITE = "FLT1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CATCH_UP = Duration.ofSeconds(90);
  /** The cloud's bootstrap admin (TMS_ADMIN_TOKEN of the cloud process), for seeding it. */
  private static final String ADMIN_TOKEN = ApiTokens.newSecret();

  @TempDir static Path dir;
  private EmbeddedDatabase postgres;
  private String dbUrl;
  private int cloudPort;
  private AgentUnderTest cloud;
  private FaultProxy link;
  private AgentUnderTest agent;
  private SeedData seed;

  @BeforeAll
  void start() throws Exception {
    postgres = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", null);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE tms");
    }
    dbUrl = "jdbc:postgresql://localhost:" + postgres.port() + "/tms";
    try (ServerSocket s = new ServerSocket(0)) {
      cloudPort = s.getLocalPort();
    }
    cloud = startCloud("cloud-1");
    seed = DemoSeed.generate(SITE, SeedProfile.SMALL, LocalDate.now(DemoSeed.ZONE));
    new CloudSeeder(cloud.base(), ADMIN_TOKEN).seed(seed);
    link = FaultProxy.start("127.0.0.1", cloudPort);
    agent = startAgent("agent-1");
    await("the site took its snapshot and is ready", () -> status(agent, "/readyz") == 200);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {agent, link, cloud}) {
      if (c != null) {
        c.close();
      }
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Order(1)
  void a_long_outage_with_hundreds_of_loads_drains_when_the_link_returns() throws Exception {
    link.cut();
    long loaded = load(300);
    assertThat(loaded).isGreaterThanOrEqualTo(300);
    assertThat(cloudBols()).as("nothing reaches the cloud while the link is down").hasSizeLessThan(siteBols().size());
    link.pass();
    assertCloudEqualsSite();
  }

  @Test
  @Order(2)
  void a_link_cut_in_the_middle_of_a_batch() throws Exception {
    link.cut();
    load(150);
    link.cutAfter(FaultProxy.Direction.UPSTREAM, 40_000);
    link.pass();
    assertCloudEqualsSite();
  }

  @Test
  @Order(3)
  void a_lost_acknowledgement_makes_the_same_batch_arrive_twice() throws Exception {
    link.cut();
    load(150);
    long batchesBefore = cloudLong("SELECT coalesce(sum(batches), 0) FROM edge_cursor WHERE site_code = '" + SITE + "'");
    link.cutAfter(FaultProxy.Direction.DOWNSTREAM, 10);
    link.pass();
    assertCloudEqualsSite();
    assertThat(cloudLong("SELECT coalesce(sum(batches), 0) FROM edge_cursor WHERE site_code = '" + SITE + "'"))
        .isGreaterThan(batchesBefore);
  }

  @Test
  @Order(4)
  void the_cloud_killed_mid_apply_and_restarted() throws Exception {
    link.cut();
    load(300);
    long before = cloudBols().size();
    link.pass();
    await("the cloud started applying the backlog", () -> cloudBolCount() > before);
    cloud.kill();
    cloud = startCloud("cloud-2");
    assertCloudEqualsSite();
  }

  @Test
  @Order(5)
  void the_agent_killed_mid_send_and_restarted() throws Exception {
    link.cut();
    load(300);
    long before = cloudBols().size();
    link.pass();
    await("the site started sending its backlog", () -> cloudBolCount() > before);
    agent.kill();
    agent = startAgent("agent-2");
    await("the site is ready again", () -> status(agent, "/readyz") == 200);
    load(20);
    assertCloudEqualsSite();
  }

  // ------------------------------------------------------------------ checks

  private void assertCloudEqualsSite() throws Exception {
    long lastSeq = siteLastBusinessSeq();
    await("the cloud's cursor reaches the site's last business event " + lastSeq,
        () -> cloudLong("SELECT coalesce(max(seq), 0) FROM edge_cursor WHERE site_code = '" + SITE
            + "' AND lane = 'BUSINESS'") >= lastSeq);
    Set<String> site = siteBols();
    List<String> inCloud = cloudBolList();
    assertThat(inCloud).as("each BOL once").doesNotHaveDuplicates();
    assertThat(new TreeSet<>(inCloud)).as("the cloud's BOLs are the site's").isEqualTo(site);
    assertThat(cloudLong("SELECT count(*) FROM bol_line WHERE site_code = '" + SITE + "'"))
        .as("BOL lines once").isEqualTo(siteLong("bolLines"));
    assertThat(cloudLong("SELECT count(*) FROM inventory_movement WHERE site_code = '" + SITE + "'"))
        .as("inventory movements once").isEqualTo(siteLong("movements"));
    assertThat(cloudLong("""
        SELECT count(*) FROM allocation a
         WHERE (SELECT coalesce(sum(r.granted_total - r.released_total), 0) FROM reserve_account r
                 WHERE r.allocation_id = a.id) > a.quantity_gal"""))
        .as("no allocation has more out in reserves than its quantity").isZero();
    assertThat(cloudLong("""
        SELECT count(*) FROM reserve_account WHERE consumed_total > granted_total - released_total"""))
        .as("no site consumed more than it was granted").isZero();
  }

  private long load(int cycles) throws InterruptedException {
    TerminalSimulator sim = new TerminalSimulator(agent.base(), seed.roster(),
        new TerminalSimulator.Options(4, Duration.ofMinutes(5), cycles, TerminalSimulator.Mode.BENCH, cycles, 1));
    refillTanks(); // before each round of trucks, as the terminal's scheduler would
    TerminalSimulator.Result r = sim.run();
    assertThat(r.errors()).as("terminal errors: " + r.firstRefusals()).isZero();
    assertThat(r.denials()).as("loads refused").doesNotContainKey("TANK_INSUFFICIENT");
    return r.cycles();
  }

  /**
   * Tank books are the site's own facts (the cloud sends none). This site's books are never opened,
   * so the load-start check leaves them alone (that check has its own tests) and no truck can be
   * refused whatever the order of loads; the receipts are here for the sync: each is an inventory
   * movement in the outbox between the loads' draws. A pipeline receipt tops every tank below 60 %
   * back up to its capacity.
   */
  private void refillTanks() {
    try (LoopbackHttp http = new LoopbackHttp(agent.base())) {
      for (JsonNode t : JSON.readTree(http.get("/v1/tanks").body())) {
        double capacity = t.get("capacityGallons").asDouble();
        double book = t.get("bookNetGallons").asDouble();
        if (book < capacity * 0.6) {
          var r = http.post("/v1/tanks/" + t.get("id").asText() + "/receipts",
              "{\"source\":\"PIPELINE\",\"netGallons\":" + Math.floor(capacity - book) + "}", null);
          assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ the site

  private Set<String> siteBols() {
    String url = "jdbc:sqlite:file:" + dir.resolve("site").resolve("site.db") + "?mode=ro";
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT number FROM bol")) {
      Set<String> out = new TreeSet<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private long siteLastBusinessSeq() {
    return siteSql("SELECT coalesce(max(seq), 0) FROM outbox WHERE lane = 'BUSINESS'");
  }

  private long siteLong(String what) {
    return switch (what) {
      case "bolLines" -> siteSql("SELECT count(*) FROM bol_line");
      case "movements" -> siteSql("SELECT count(*) FROM inventory_movement");
      default -> throw new IllegalArgumentException(what);
    };
  }

  /** Reads the site's SQLite file beside the running agent (WAL: readers never block the writer). */
  private long siteSql(String sql) {
    String url = "jdbc:sqlite:file:" + dir.resolve("site").resolve("site.db") + "?mode=ro";
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  // ------------------------------------------------------------------ the cloud

  private List<String> cloudBols() throws SQLException {
    return cloudBolList();
  }

  private long cloudBolCount() {
    return cloudLong("SELECT count(*) FROM bol WHERE site_code = '" + SITE + "'");
  }

  private List<String> cloudBolList() throws SQLException {
    try (Connection c = DriverManager.getConnection(dbUrl, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT number FROM bol WHERE site_code = '" + SITE + "'")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private long cloudLong(String sql) {
    try (Connection c = DriverManager.getConnection(dbUrl, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  // ------------------------------------------------------------------ processes

  private AgentUnderTest startCloud(String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        TmsCommand.class.getName(), "cloud", "--db-url", dbUrl, "--db-user", "postgres", "--host", "127.0.0.1",
        "--port", Integer.toString(cloudPort));
    // plain-HTTP edge routes (dev/test only) so the fault proxy sees the raw HTTP stream
    return AgentUnderTest.start(cmd, Map.of("TMS_RESERVE_INTERVAL", "1s", "TMS_EDGE_PLAINTEXT", "true",
        "TMS_ADMIN_TOKEN", ADMIN_TOKEN), dir.resolve(name + ".log"),
        Duration.ofSeconds(90));
  }

  private AgentUnderTest startAgent(String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), TmsCommand.class.getName(),
        "agent", "--site", SITE, "--data", dir.resolve("site").toString(), "--host", "127.0.0.1", "--port", "0",
        "--cloud", link.httpUri().toString());
    return AgentUnderTest.start(cmd, Map.of("TMS_HEARTBEAT_INTERVAL", "1s"), dir.resolve(name + ".log"),
        Duration.ofSeconds(60));
  }

  private static int status(AgentUnderTest p, String path) {
    try (LoopbackHttp http = new LoopbackHttp(p.base())) {
      return http.get(path).status();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Polls an observable condition (a row another process committed, a child's /readyz) until it holds. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Eventually.until(what, CATCH_UP, condition);
  }
}
