package io.tms.agent.sync;

import io.tms.agent.security.TerminalStore;
import io.tms.agent.store.MasterDataStore;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.authorization.PinHash;
import io.tms.domain.masterdata.Allocation;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Customer;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Site;
import io.tms.domain.masterdata.Tank;
import io.tms.domain.masterdata.Vehicle;
import io.tms.domain.volume.CommodityGroup;
import io.tms.protocol.v1.sync.AllocationV1;
import io.tms.protocol.v1.sync.BayV1;
import io.tms.protocol.v1.sync.CarrierV1;
import io.tms.protocol.v1.sync.ChangeV1;
import io.tms.protocol.v1.sync.ChangesV1;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one answer of the change feed inside the writer's unit of work, together with the new
 * rev (DESIGN §3): the site's master data and its rev change together or not at all. A snapshot
 * first deactivates everything, so what it does not name ends inactive. Records scoped to another
 * site are ignored. Reserve records go to {@link ReserveLedger}, which answers release requests.
 * Writer thread only.
 */
public final class FeedApplier {
  private static final Logger log = LoggerFactory.getLogger(FeedApplier.class);
  /** The {@code sync_state} key of the last rev applied. */
  public static final String REV_KEY = "feed.rev";

  /** What one answer did. */
  public record Applied(long rev, boolean snapshot, int changes, long releasedGallons) {}

  private final String siteCode;
  private final MasterDataStore store;
  private final ReserveLedger reserves;
  private final TerminalStore terminals = new TerminalStore();

  public FeedApplier(String siteCode, MasterDataStore store, OutboxStore outbox) {
    this.siteCode = siteCode;
    this.store = store;
    this.reserves = new ReserveLedger(siteCode, outbox);
  }

  /** The last rev applied (0: never synced). */
  public static long rev(Handle h) {
    return h.createQuery("SELECT value FROM sync_state WHERE key = ?").bind(0, REV_KEY).mapTo(String.class)
        .findOne().map(Long::parseLong).orElse(0L);
  }

  public Applied apply(WriteContext ctx, ChangesV1 answer) {
    Handle h = ctx.handle();
    long current = rev(h);
    List<ChangeV1> changes = new ArrayList<>();
    for (ChangeV1 c : answer.changes() == null ? List.<ChangeV1>of() : answer.changes()) {
      // an answer overlapping what was applied (a retried request) applies only what is new
      if (answer.snapshot() || c.rev() > current) {
        changes.add(c);
      }
    }
    // Parents before children (a tank needs its product), whatever order the cloud wrote them in;
    // the sort is stable, so the changes of one record keep their rev order.
    changes.sort(Comparator.comparingInt(c -> rank(c.record())));
    if (answer.snapshot()) {
      store.deactivateAll(h);
      terminals.deactivateAll(h);
    }
    for (ChangeV1 c : changes) {
      apply(ctx, c.record());
    }
    long released = reserves.releaseRequested(ctx);
    long rev = answer.snapshot() ? answer.rev() : Math.max(current, answer.rev());
    if (rev != current) {
      h.createUpdate("INSERT INTO sync_state (key, value) VALUES (?, ?) "
              + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .bind(0, REV_KEY).bind(1, Long.toString(rev)).execute();
    }
    if (answer.snapshot()) {
      log.info("site={} applied a snapshot of {} records at rev {}", siteCode, changes.size(), rev);
    }
    return new Applied(rev, answer.snapshot(), changes.size(), released);
  }

  private void apply(WriteContext ctx, MasterRecordV1 record) {
    Handle h = ctx.handle();
    switch (record) {
      case SiteV1 s -> {
        if (s.code().equals(siteCode)) {
          store.upsertSite(h, new Site(s.code(), s.name(), ZoneId.of(s.zone())));
        }
      }
      case ProductV1 p -> store.upsertProduct(h,
          new Product(p.code(), p.name(), CommodityGroup.valueOf(p.commodityGroup()), p.active()));
      case TankV1 t -> {
        if (mine(t.siteCode())) {
          store.upsertTank(h, new Tank(t.id(), t.productCode(), t.capacityGallons(), t.baseDensityKgM3()), t.active());
        }
      }
      case BayV1 b -> {
        if (mine(b.siteCode())) {
          List<Arm> arms = b.arms() == null ? List.of() : b.arms().stream()
              .map(a -> new Arm(a.id(), b.id(), a.meterId(), a.tankByProduct() == null ? Map.of() : a.tankByProduct()))
              .toList();
          store.upsertBay(h, new Bay(b.id(), b.name(), b.active(), arms));
        }
      }
      case CustomerV1 c -> store.upsertCustomer(h, new Customer(c.id(), c.name(), c.active()));
      case CarrierV1 c -> store.upsertCarrier(h, new Carrier(c.id(), c.name(), c.active(), c.insuranceExpires()));
      case DriverV1 d -> {
        // a card handed to another driver: the previous holder keeps the row (loads refer to it), not the card
        h.createUpdate("UPDATE driver SET card_number = card_number || '~' || id, card_active = 0 "
                + "WHERE card_number = ? AND id <> ?")
            .bind(0, d.cardNumber()).bind(1, d.id()).execute();
        store.upsertDriver(h, new Driver(
          d.id(), d.name(), d.cardNumber(), d.cardActive(), PinHash.parse(d.pinHash()),
          d.carrierIds() == null ? Set.of() : d.carrierIds(),
          d.certifications() == null ? Map.of() : d.certifications()));
      }
      case VehicleV1 v -> store.upsertVehicle(h, new Vehicle(
          v.id(), v.carrierId(), v.active(), v.inspectionExpires(),
          v.compartments().stream().map(c -> new Compartment(c.number(), c.capacityGallons())).toList()));
      case LiftingV1 l -> {
        if (mine(l.siteCode())) {
          if (l.granted()) {
            store.grantLifting(h, l.customerId(), l.productCode());
          } else {
            store.withdrawLifting(h, l.customerId(), l.productCode());
          }
        }
      }
      case AllocationV1 a -> store.upsertAllocation(h, new Allocation(
          a.id(), a.customerId(), a.productCode(), a.periodStart(), a.periodEnd(), a.quantityGallons()), a.active());
      case ReserveV1 r -> {
        if (mine(r.siteCode())) {
          reserves.grant(ctx, r);
        }
      }
      case TerminalV1 t -> {
        if (siteCode.equals(t.siteCode())) { // a terminal credential is only ever good at its own site
          terminals.upsert(h, t.id(), t.name(), t.kind(), t.secretSha256(), t.active());
        }
      }
    }
  }

  private boolean mine(String recordSite) {
    return recordSite == null || recordSite.equals(siteCode);
  }

  private static int rank(MasterRecordV1 record) {
    return switch (record) {
      case SiteV1 s -> 0;
      case ProductV1 p -> 1;
      case TankV1 t -> 2;
      case BayV1 b -> 3;
      case CustomerV1 c -> 4;
      case CarrierV1 c -> 5;
      case DriverV1 d -> 6;
      case VehicleV1 v -> 7;
      case LiftingV1 l -> 8;
      case AllocationV1 a -> 9;
      case ReserveV1 r -> 10;
      case TerminalV1 t -> 11;
    };
  }
}
