package io.tms.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.security.SeedTerminals;
import io.tms.agent.security.TerminalCredentials;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.CloudJson;
import io.tms.domain.authorization.PinHash;
import io.tms.protocol.v1.sync.AllocationV1;
import io.tms.protocol.v1.sync.BayV1;
import io.tms.protocol.v1.sync.CarrierV1;
import io.tms.protocol.v1.sync.CustomerV1;
import io.tms.protocol.v1.sync.DriverV1;
import io.tms.protocol.v1.sync.LiftingV1;
import io.tms.protocol.v1.sync.MasterRecordV1;
import io.tms.protocol.v1.sync.ProductV1;
import io.tms.protocol.v1.sync.ReserveV1;
import io.tms.protocol.v1.sync.SiteV1;
import io.tms.protocol.v1.sync.TankV1;
import io.tms.protocol.v1.sync.TerminalV1;
import io.tms.protocol.v1.sync.VehicleV1;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * A small site's master data written into the cloud's change feed, as the admin API would: one
 * bay, one product, one driver and truck, one customer with an allocation and a reserve, and the
 * simulator's terminal credential. For the
 * feed's end-to-end test and its latency benchmark.
 */
public final class FeedSite {
  public static final String DRIVER = "D1";
  public static final String CARD = "C100";
  public static final String PIN = "4321";
  public static final String TRUCK = "T1";
  public static final String CUSTOMER = "CUST1";
  public static final String PRODUCT = "ULSD";

  private final Jdbi jdbi;
  private final String site;
  private final ChangeLog log;
  private final String pinHash;

  public FeedSite(Jdbi jdbi, String site) {
    this.jdbi = jdbi;
    this.site = site;
    ObjectMapper json = CloudJson.mapper();
    this.log = new ChangeLog(json);
    this.pinHash = PinHash.create(PIN, ("salt-" + CARD).getBytes(StandardCharsets.UTF_8), 1_000).encoded();
  }

  /** Registers the site and writes its master data; returns the feed head. */
  public long create() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    jdbi.useHandle(h -> h.execute("INSERT INTO site (code, name, zone) VALUES (?, ?, 'UTC')", site, "Site " + site));
    return jdbi.inTransaction(h -> {
      long rev = 0;
      for (MasterRecordV1 r : List.of(
          new SiteV1(site, "Site " + site, "UTC", true),
          new ProductV1(PRODUCT, "Ultra-low-sulfur diesel", "FUEL_OILS", true),
          new TankV1("TK1", site, PRODUCT, 1_000_000, 850.0, true),
          new BayV1("B1", site, "Bay 1", true, List.of(new BayV1.Arm("B1A1", "M11", Map.of(PRODUCT, "TK1")))),
          new CustomerV1(CUSTOMER, "Gulf Coast Fuels", true),
          new CarrierV1("ACME", "Acme Transport", true, today.plusYears(1)),
          driver(true, "Dana Driver"),
          new VehicleV1(TRUCK, "ACME", true, today.plusMonths(6), List.of(new VehicleV1.Compartment(1, 3_000))),
          new LiftingV1(site, CUSTOMER, PRODUCT, true),
          new AllocationV1("AL1", CUSTOMER, PRODUCT, today.minusDays(1), today.plusDays(30), 1_000_000, true),
          new ReserveV1(site, "AL1", 100_000, 0),
          // the terminal the simulator calls as (a seed secret: this is test and benchmark data)
          new TerminalV1(site, SeedTerminals.SIMULATOR_ID, "Simulated terminals", "OTHER",
              TerminalCredentials.sha256Hex(SeedTerminals.SIMULATOR_SECRET), true))) {
        rev = log.append(h, r instanceof SiteV1 || r instanceof TankV1 || r instanceof BayV1 || r instanceof LiftingV1
            || r instanceof ReserveV1 || r instanceof TerminalV1 ? site : null, r);
      }
      return rev;
    });
  }

  public DriverV1 driver(boolean cardActive, String name) {
    return new DriverV1(DRIVER, name, CARD, cardActive, pinHash, Set.of("ACME"),
        Map.of("HAZMAT", LocalDate.now(ZoneOffset.UTC).plusYears(1)));
  }

  /** Writes one change in its own transaction; returns its rev once committed. */
  public long write(MasterRecordV1 record) {
    return jdbi.inTransaction(h -> log.append(h, null, record));
  }
}
