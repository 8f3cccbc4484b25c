package io.tms.agent.seed;

import io.tms.agent.seed.SeedRoster.BayEntry;
import io.tms.agent.seed.SeedRoster.DeniedLifting;
import io.tms.agent.seed.SeedRoster.DriverEntry;
import io.tms.agent.seed.SeedRoster.Lifting;
import io.tms.agent.seed.SeedRoster.VehicleEntry;
import io.tms.domain.authorization.DenyCode;
import io.tms.domain.masterdata.Arm;
import io.tms.domain.masterdata.Bay;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Product;
import io.tms.domain.masterdata.Vehicle;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Derives the simulator's view from generated data, applying the same rules as the authorizer
 * (DESIGN §2 step 1) so that "expected approved" is what the gate will answer.
 */
final class RosterBuilder {
  private RosterBuilder() {}

  static SeedRoster build(
      String siteCode, SeedProfile profile, LocalDate today, List<Product> products, List<Bay> bays, People people,
      List<Lifting> liftings, List<DeniedLifting> denied) {
    Map<String, Carrier> carriers = people.carriers().stream().collect(Collectors.toMap(Carrier::id, Function.identity()));
    List<VehicleEntry> vehicles = people.vehicles().stream()
        .map(v -> new VehicleEntry(v.id(), v.carrierId(), v.compartments(), vehicleDenials(v, carriers.get(v.carrierId()), today)))
        .toList();
    Set<String> loadable = new LinkedHashSet<>();
    List<BayEntry> bayEntries = new ArrayList<>();
    for (Bay b : bays) {
      Set<String> codes = new LinkedHashSet<>();
      b.arms().stream().map(Arm::tankByProduct).forEach(m -> codes.addAll(m.keySet().stream().sorted().toList()));
      if (b.active()) {
        loadable.addAll(codes);
      }
      bayEntries.add(new BayEntry(b.id(), b.name(), List.copyOf(codes)));
    }
    boolean somethingToLoad = liftings.stream().anyMatch(l -> loadable.contains(l.productCode()));
    List<DriverEntry> drivers = new ArrayList<>();
    for (Driver d : people.drivers()) {
      List<DenyCode> denials = new ArrayList<>();
      if (!d.cardActive()) {
        denials.add(DenyCode.CARD_INACTIVE);
      } else if (d.expiredCertification(today).isPresent()) {
        denials.add(DenyCode.DRIVER_CERTIFICATION_EXPIRED);
      }
      List<VehicleEntry> own = vehicles.stream().filter(v -> d.carrierIds().contains(v.carrierId())).toList();
      boolean approved = denials.isEmpty() && somethingToLoad && own.stream().anyMatch(VehicleEntry::usable);
      drivers.add(new DriverEntry(d.id(), d.name(), d.cardNumber(), people.pins().get(d.id()),
          d.carrierIds().stream().sorted().toList(), own.stream().map(VehicleEntry::id).toList(), approved, denials));
    }
    return new SeedRoster(siteCode, profile, today, products, bayEntries, drivers, vehicles, liftings, denied);
  }

  private static List<DenyCode> vehicleDenials(Vehicle v, Carrier carrier, LocalDate today) {
    List<DenyCode> denials = new ArrayList<>();
    if (!v.active()) {
      denials.add(DenyCode.VEHICLE_INACTIVE);
    }
    if (today.isAfter(v.inspectionExpires())) {
      denials.add(DenyCode.VEHICLE_INSPECTION_EXPIRED);
    }
    if (!carrier.active()) {
      denials.add(DenyCode.CARRIER_INACTIVE);
    }
    if (!carrier.insuredOn(today)) {
      denials.add(DenyCode.CARRIER_INSURANCE_EXPIRED);
    }
    return denials;
  }
}
