package io.tms.agent.store;

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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Reads and writes the master-data replica tables. Writes are upserts keyed by id, as the change
 * feed delivers whole entities; all run inside the writer's transaction.
 */
public final class MasterDataStore {

  public MasterData load(Handle h) {
    Site site = h.createQuery("SELECT code, name, zone FROM site")
        .map((rs, ctx) -> new Site(rs.getString("code"), rs.getString("name"), ZoneId.of(rs.getString("zone"))))
        .findOne()
        .orElse(null);
    List<Product> products = h.createQuery("SELECT code, name, commodity_group, active FROM product")
        .map((rs, ctx) -> new Product(
            rs.getString("code"), rs.getString("name"), CommodityGroup.valueOf(rs.getString("commodity_group")),
            rs.getBoolean("active")))
        .list();
    List<Tank> tanks = h.createQuery("SELECT id, product_code, capacity_gal, base_density FROM tank")
        .map((rs, ctx) -> new Tank(
            rs.getString("id"), rs.getString("product_code"), rs.getDouble("capacity_gal"), rs.getDouble("base_density")))
        .list();
    Map<String, Map<String, String>> tankByProductByArm = new HashMap<>();
    // an inactive tank feeds no arm: bays stop offering its product from it
    h.createQuery("SELECT ap.arm_id, ap.product_code, ap.tank_id FROM arm_product ap "
        + "JOIN tank t ON t.id = ap.tank_id WHERE t.active = 1").map((rs, ctx) -> {
      tankByProductByArm.computeIfAbsent(rs.getString("arm_id"), k -> new HashMap<>())
          .put(rs.getString("product_code"), rs.getString("tank_id"));
      return 0;
    }).list();
    Map<String, List<Arm>> armsByBay = new HashMap<>();
    h.createQuery("SELECT id, bay_id, meter_id FROM arm ORDER BY id").map((rs, ctx) -> {
      String id = rs.getString("id");
      Map<String, String> carried = tankByProductByArm.get(id);
      if (carried != null) { // an arm whose every tank is out of service loads nothing
        armsByBay.computeIfAbsent(rs.getString("bay_id"), k -> new ArrayList<>())
            .add(new Arm(id, rs.getString("bay_id"), rs.getString("meter_id"), carried));
      }
      return 0;
    }).list();
    List<Bay> bays = h.createQuery("SELECT id, name, active FROM bay")
        .map((rs, ctx) -> new Bay(
            rs.getString("id"), rs.getString("name"), rs.getBoolean("active"),
            armsByBay.getOrDefault(rs.getString("id"), List.of())))
        .list();
    List<Customer> customers = h.createQuery("SELECT id, name, active FROM customer")
        .map((rs, ctx) -> new Customer(rs.getString("id"), rs.getString("name"), rs.getBoolean("active")))
        .list();
    List<Carrier> carriers = h.createQuery("SELECT id, name, active, insurance_expires FROM carrier")
        .map((rs, ctx) -> new Carrier(
            rs.getString("id"), rs.getString("name"), rs.getBoolean("active"),
            LocalDate.parse(rs.getString("insurance_expires"))))
        .list();
    Map<String, Set<String>> carriersByDriver = new HashMap<>();
    h.createQuery("SELECT driver_id, carrier_id FROM driver_carrier").map((rs, ctx) ->
        carriersByDriver.computeIfAbsent(rs.getString("driver_id"), k -> new HashSet<>()).add(rs.getString("carrier_id")))
        .list();
    Map<String, Map<String, LocalDate>> certsByDriver = new HashMap<>();
    h.createQuery("SELECT driver_id, name, expires FROM driver_certification").map((rs, ctx) ->
        certsByDriver.computeIfAbsent(rs.getString("driver_id"), k -> new HashMap<>())
            .put(rs.getString("name"), LocalDate.parse(rs.getString("expires"))))
        .list();
    List<Driver> drivers = h.createQuery("SELECT id, name, card_number, card_active, pin_hash FROM driver")
        .map((rs, ctx) -> {
          String id = rs.getString("id");
          return new Driver(
              id, rs.getString("name"), rs.getString("card_number"), rs.getBoolean("card_active"),
              PinHash.parse(rs.getString("pin_hash")),
              carriersByDriver.getOrDefault(id, Set.of()), certsByDriver.getOrDefault(id, Map.of()));
        })
        .list();
    Map<String, List<Compartment>> compartmentsByVehicle = new HashMap<>();
    h.createQuery("SELECT vehicle_id, number, capacity_gal FROM compartment ORDER BY vehicle_id, number").map((rs, ctx) ->
        compartmentsByVehicle.computeIfAbsent(rs.getString("vehicle_id"), k -> new ArrayList<>())
            .add(new Compartment(rs.getInt("number"), rs.getLong("capacity_gal"))))
        .list();
    List<Vehicle> vehicles = h.createQuery("SELECT id, carrier_id, active, inspection_expires FROM vehicle")
        .map((rs, ctx) -> new Vehicle(
            rs.getString("id"), rs.getString("carrier_id"), rs.getBoolean("active"),
            LocalDate.parse(rs.getString("inspection_expires")),
            compartmentsByVehicle.getOrDefault(rs.getString("id"), List.of())))
        .list();
    Set<String> customerProducts = new HashSet<>(
        h.createQuery("SELECT customer_id, product_code FROM customer_product")
            .map((rs, ctx) -> MasterData.key(rs.getString("customer_id"), rs.getString("product_code")))
            .list());
    List<Allocation> allocations = h.createQuery(
            "SELECT id, customer_id, product_code, period_start, period_end, quantity_gal FROM allocation "
                + "WHERE active = 1 ORDER BY period_start")
        .map((rs, ctx) -> new Allocation(
            rs.getString("id"), rs.getString("customer_id"), rs.getString("product_code"),
            LocalDate.parse(rs.getString("period_start")), LocalDate.parse(rs.getString("period_end")),
            rs.getLong("quantity_gal")))
        .list();
    return MasterData.of(site, products, tanks, bays, customers, carriers, drivers, vehicles, customerProducts, allocations);
  }

  public void upsertSite(Handle h, Site s) {
    h.createUpdate("INSERT INTO site (code, name, zone) VALUES (:code, :name, :zone) "
            + "ON CONFLICT (code) DO UPDATE SET name = excluded.name, zone = excluded.zone")
        .bind("code", s.code()).bind("name", s.name()).bind("zone", s.zone().getId()).execute();
  }

  public void upsertProduct(Handle h, Product p) {
    h.createUpdate("INSERT INTO product (code, name, commodity_group, active) VALUES (:code, :name, :group, :active) "
            + "ON CONFLICT (code) DO UPDATE SET name = excluded.name, commodity_group = excluded.commodity_group, "
            + "active = excluded.active")
        .bind("code", p.code()).bind("name", p.name()).bind("group", p.commodityGroup().name())
        .bind("active", p.active()).execute();
  }

  public void upsertTank(Handle h, Tank t) {
    upsertTank(h, t, true);
  }

  /** A tank, in or out of service. */
  public void upsertTank(Handle h, Tank t, boolean active) {
    h.createUpdate("INSERT INTO tank (id, product_code, capacity_gal, base_density, active) "
            + "VALUES (:id, :p, :cap, :rho, :active) ON CONFLICT (id) DO UPDATE SET product_code = excluded.product_code, "
            + "capacity_gal = excluded.capacity_gal, base_density = excluded.base_density, active = excluded.active")
        .bind("id", t.id()).bind("p", t.productCode()).bind("cap", t.capacityGallons())
        .bind("rho", t.baseDensityKgM3()).bind("active", active).execute();
  }

  public void upsertBay(Handle h, Bay b) {
    h.createUpdate("INSERT INTO bay (id, name, active) VALUES (:id, :name, :active) "
            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active")
        .bind("id", b.id()).bind("name", b.name()).bind("active", b.active()).execute();
    for (Arm arm : b.arms()) {
      h.createUpdate("INSERT INTO arm (id, bay_id, meter_id) VALUES (:id, :bay, :meter) "
              + "ON CONFLICT (id) DO UPDATE SET bay_id = excluded.bay_id, meter_id = excluded.meter_id")
          .bind("id", arm.id()).bind("bay", b.id()).bind("meter", arm.meterId()).execute();
      h.createUpdate("DELETE FROM arm_product WHERE arm_id = ?").bind(0, arm.id()).execute();
      arm.tankByProduct().forEach((product, tank) ->
          h.createUpdate("INSERT INTO arm_product (arm_id, product_code, tank_id) VALUES (?, ?, ?)")
              .bind(0, arm.id()).bind(1, product).bind(2, tank).execute());
    }
  }

  public void upsertCustomer(Handle h, Customer c) {
    h.createUpdate("INSERT INTO customer (id, name, active) VALUES (:id, :name, :active) "
            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active")
        .bind("id", c.id()).bind("name", c.name()).bind("active", c.active()).execute();
  }

  public void upsertCarrier(Handle h, Carrier c) {
    h.createUpdate("INSERT INTO carrier (id, name, active, insurance_expires) VALUES (:id, :name, :active, :exp) "
            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = excluded.active, "
            + "insurance_expires = excluded.insurance_expires")
        .bind("id", c.id()).bind("name", c.name()).bind("active", c.active())
        .bind("exp", c.insuranceExpires().toString()).execute();
  }

  public void upsertDriver(Handle h, Driver d) {
    h.createUpdate("INSERT INTO driver (id, name, card_number, card_active, pin_hash) "
            + "VALUES (:id, :name, :card, :active, :pin) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            + "card_number = excluded.card_number, card_active = excluded.card_active, pin_hash = excluded.pin_hash")
        .bind("id", d.id()).bind("name", d.name()).bind("card", d.cardNumber()).bind("active", d.cardActive())
        .bind("pin", d.pinHash().encoded()).execute();
    h.createUpdate("DELETE FROM driver_carrier WHERE driver_id = ?").bind(0, d.id()).execute();
    for (String carrier : d.carrierIds()) {
      h.createUpdate("INSERT INTO driver_carrier (driver_id, carrier_id) VALUES (?, ?)")
          .bind(0, d.id()).bind(1, carrier).execute();
    }
    h.createUpdate("DELETE FROM driver_certification WHERE driver_id = ?").bind(0, d.id()).execute();
    d.certifications().forEach((name, expires) ->
        h.createUpdate("INSERT INTO driver_certification (driver_id, name, expires) VALUES (?, ?, ?)")
            .bind(0, d.id()).bind(1, name).bind(2, expires.toString()).execute());
  }

  public void upsertVehicle(Handle h, Vehicle v) {
    h.createUpdate("INSERT INTO vehicle (id, carrier_id, active, inspection_expires) VALUES (:id, :carrier, :active, :exp) "
            + "ON CONFLICT (id) DO UPDATE SET carrier_id = excluded.carrier_id, active = excluded.active, "
            + "inspection_expires = excluded.inspection_expires")
        .bind("id", v.id()).bind("carrier", v.carrierId()).bind("active", v.active())
        .bind("exp", v.inspectionExpires().toString()).execute();
    h.createUpdate("DELETE FROM compartment WHERE vehicle_id = ?").bind(0, v.id()).execute();
    for (Compartment c : v.compartments()) {
      h.createUpdate("INSERT INTO compartment (vehicle_id, number, capacity_gal) VALUES (?, ?, ?)")
          .bind(0, v.id()).bind(1, c.number()).bind(2, c.capacityGallons()).execute();
    }
  }

  public void grantLifting(Handle h, String customerId, String productCode) {
    h.createUpdate("INSERT OR IGNORE INTO customer_product (customer_id, product_code) VALUES (?, ?)")
        .bind(0, customerId).bind(1, productCode).execute();
  }

  public void upsertAllocation(Handle h, Allocation a) {
    upsertAllocation(h, a, true);
  }

  /** An allocation; an inactive one authorizes nothing (its reserve stays, untouched). */
  public void upsertAllocation(Handle h, Allocation a, boolean active) {
    h.createUpdate("INSERT INTO allocation (id, customer_id, product_code, period_start, period_end, quantity_gal, "
            + "active) VALUES (:id, :c, :p, :s, :e, :q, :active) ON CONFLICT (id) DO UPDATE SET "
            + "customer_id = excluded.customer_id, product_code = excluded.product_code, "
            + "period_start = excluded.period_start, period_end = excluded.period_end, "
            + "quantity_gal = excluded.quantity_gal, active = excluded.active")
        .bind("id", a.id()).bind("c", a.customerId()).bind("p", a.productCode())
        .bind("s", a.periodStart().toString()).bind("e", a.periodEnd().toString())
        .bind("q", a.quantityGallons()).bind("active", active).execute();
  }

  /** Withdraws a lifting right (no row refers to one, so it goes). */
  public void withdrawLifting(Handle h, String customerId, String productCode) {
    h.createUpdate("DELETE FROM customer_product WHERE customer_id = ? AND product_code = ?")
        .bind(0, customerId).bind(1, productCode).execute();
  }

  /**
   * Before a snapshot: deactivates every master record and withdraws every lifting right, so that
   * what the snapshot does not name ends inactive. Rows stay: loads and BOLs refer to them.
   * Reserves are left alone — the cloud takes reserve back only through the site (DESIGN §4).
   */
  public void deactivateAll(Handle h) {
    for (String table : new String[] {"product", "tank", "bay", "customer", "carrier", "vehicle", "allocation"}) {
      h.execute("UPDATE " + table + " SET active = 0");
    }
    h.execute("UPDATE driver SET card_active = 0");
    h.execute("DELETE FROM customer_product");
  }

  /** Sets the reserve the cloud granted this site; what was consumed or held here is kept. */
  public void grantReserve(Handle h, String allocationId, long grantedGallons) {
    h.createUpdate("INSERT INTO reserve (allocation_id, granted_gal) VALUES (?, ?) "
            + "ON CONFLICT (allocation_id) DO UPDATE SET granted_gal = excluded.granted_gal")
        .bind(0, allocationId).bind(1, grantedGallons).execute();
  }

  /** Opening book inventory of a tank, e.g. from the first gauge reading or the seed. */
  public void setBookInventory(Handle h, String tankId, double netGallons, String at) {
    h.createUpdate("INSERT INTO tank_inventory (tank_id, book_net_gal, updated_at, opened) VALUES (?, ?, ?, 1) "
            + "ON CONFLICT (tank_id) DO UPDATE SET book_net_gal = excluded.book_net_gal, updated_at = excluded.updated_at, "
            + "opened = 1")
        .bind(0, tankId).bind(1, netGallons).bind(2, at).execute();
  }
}
