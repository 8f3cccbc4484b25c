package io.tms.domain.authorization;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.allocation.Reserve;
import io.tms.domain.authorization.AuthorizationDecision.CompartmentDecision;
import io.tms.domain.authorization.AuthorizationRequest.CompartmentRequest;
import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Compartment;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Vehicle;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a driver may load (DESIGN §2 step 1). The card checks come first and stop the
 * decision — a wrong PIN reveals nothing else; every other check is reported together so the
 * driver learns all that must be fixed at once. Stateless and thread-safe.
 */
public final class Authorizer {

  private final int maxPinFailures;
  private final PinCheck pinCheck;

  public Authorizer(int maxPinFailures) {
    this(maxPinFailures, PinCheck.DERIVE);
  }

  public Authorizer(int maxPinFailures, PinCheck pinCheck) {
    if (maxPinFailures < 1) {
      throw new IllegalArgumentException("maxPinFailures must be >= 1 (was " + maxPinFailures + ")");
    }
    this.maxPinFailures = maxPinFailures;
    this.pinCheck = pinCheck;
  }

  public int maxPinFailures() {
    return maxPinFailures;
  }

  public AuthorizationDecision decide(AuthorizationRequest request, AuthorizationFacts facts, LocalDate today) {
    validateShape(request);

    Optional<Driver> found = facts.driverByCard(request.cardNumber());
    if (found.isEmpty()) {
      return denied(DenyCode.CARD_UNKNOWN, null, request, PinOutcome.NOT_CHECKED);
    }
    Driver driver = found.get();
    if (!driver.cardActive()) {
      return denied(DenyCode.CARD_INACTIVE, driver.id(), request, PinOutcome.NOT_CHECKED);
    }
    CardState card = facts.cardState(request.cardNumber());
    if (card.locked()) {
      return denied(DenyCode.CARD_LOCKED, driver.id(), request, PinOutcome.NOT_CHECKED);
    }
    if (!pinCheck.matches(driver, request.pin())) {
      List<DenyCode> codes = new ArrayList<>(List.of(DenyCode.PIN_INVALID));
      if (card.after(PinOutcome.MISMATCHED, maxPinFailures).locked()) {
        codes.add(DenyCode.CARD_LOCKED);
      }
      return new AuthorizationDecision(
          false, codes, driver.id(), null, request.vehicleId(), List.of(), PinOutcome.MISMATCHED);
    }

    List<DenyCode> denies = new ArrayList<>();
    if (driver.expiredCertification(today).isPresent()) {
      denies.add(DenyCode.DRIVER_CERTIFICATION_EXPIRED);
    }
    Optional<Vehicle> vehicle = facts.vehicle(request.vehicleId());
    String carrierId = null;
    if (vehicle.isEmpty()) {
      denies.add(DenyCode.VEHICLE_UNKNOWN);
    } else {
      Vehicle v = vehicle.get();
      carrierId = request.carrierId() != null ? request.carrierId() : v.carrierId();
      if (!v.carrierId().equals(carrierId)) {
        denies.add(DenyCode.VEHICLE_NOT_OF_CARRIER);
      }
      if (!v.active()) {
        denies.add(DenyCode.VEHICLE_INACTIVE);
      }
      if (today.isAfter(v.inspectionExpires())) {
        denies.add(DenyCode.VEHICLE_INSPECTION_EXPIRED);
      }
      checkCarrier(facts.carrier(carrierId), driver, today, denies);
    }

    List<CompartmentDecision> compartments =
        vehicle.map(v -> decideCompartments(request, v, facts, today)).orElseGet(List::of);
    boolean approved = denies.isEmpty();
    for (CompartmentDecision c : compartments) {
      approved &= c.denyCodes().isEmpty();
    }
    return new AuthorizationDecision(
        approved, denies, driver.id(), carrierId, request.vehicleId(), compartments, PinOutcome.MATCHED);
  }

  private static void checkCarrier(Optional<Carrier> carrier, Driver driver, LocalDate today, List<DenyCode> denies) {
    if (carrier.isEmpty()) {
      denies.add(DenyCode.CARRIER_UNKNOWN);
      return;
    }
    Carrier c = carrier.get();
    if (!c.active()) {
      denies.add(DenyCode.CARRIER_INACTIVE);
    }
    if (!c.insuredOn(today)) {
      denies.add(DenyCode.CARRIER_INSURANCE_EXPIRED);
    }
    if (!driver.carrierIds().contains(c.id())) {
      denies.add(DenyCode.DRIVER_NOT_ALLOWED_FOR_CARRIER);
    }
  }

  private List<CompartmentDecision> decideCompartments(
      AuthorizationRequest request, Vehicle vehicle, AuthorizationFacts facts, LocalDate today) {
    // First pass: per-compartment checks, and the demand on each reserve.
    Map<String, Reserve> reserves = new HashMap<>();
    Map<String, Long> demand = new HashMap<>();
    List<Draft> drafts = new ArrayList<>();
    for (CompartmentRequest cr : request.compartments()) {
      Draft d = new Draft(cr);
      drafts.add(d);
      Optional<Compartment> compartment = vehicle.compartment(cr.compartment());
      if (compartment.isEmpty()) {
        d.deny(DenyCode.COMPARTMENT_UNKNOWN);
      } else {
        d.capacity = compartment.get().capacityGallons();
        if (cr.requestedGallons() != null && cr.requestedGallons() > d.capacity) {
          d.deny(DenyCode.COMPARTMENT_OVER_CAPACITY);
        }
      }
      var customer = facts.customer(cr.customerId());
      var product = facts.product(cr.productCode());
      boolean productKnown = product.isPresent();
      if (customer.isEmpty()) {
        d.deny(DenyCode.CUSTOMER_UNKNOWN);
      } else if (!customer.get().active()) {
        d.deny(DenyCode.CUSTOMER_INACTIVE);
      }
      if (!productKnown) {
        d.deny(DenyCode.PRODUCT_UNKNOWN);
      } else if (!product.get().active()) {
        d.deny(DenyCode.PRODUCT_INACTIVE);
      }
      if (customer.isEmpty() || !productKnown) {
        continue;
      }
      if (!facts.customerMayLift(cr.customerId(), cr.productCode())) {
        d.deny(DenyCode.CUSTOMER_NOT_AUTHORIZED_FOR_PRODUCT);
        continue;
      }
      Optional<Reserve> reserve = facts.reserveFor(cr.customerId(), cr.productCode(), today);
      if (reserve.isEmpty()) {
        d.deny(DenyCode.NO_ALLOCATION);
        continue;
      }
      d.reserve = reserve.get();
      reserves.putIfAbsent(d.reserve.allocationId(), d.reserve);
      long wanted = cr.requestedGallons() != null ? cr.requestedGallons() : 1;
      demand.merge(d.reserve.allocationId(), wanted, Long::sum);
    }
    // Second pass: a reserve shared by several compartments must cover all of them.
    List<CompartmentDecision> out = new ArrayList<>();
    for (Draft d : drafts) {
      long max = 0;
      if (d.reserve != null) {
        long available = d.reserve.available();
        if (demand.get(d.reserve.allocationId()) > available) {
          d.deny(DenyCode.RESERVE_INSUFFICIENT);
        }
        max = Math.max(0, Math.min(d.capacity, available));
      }
      if (!d.codes.isEmpty()) {
        max = 0;
      }
      out.add(new CompartmentDecision(
          d.request.compartment(),
          d.request.customerId(),
          d.request.productCode(),
          d.reserve == null ? null : d.reserve.allocationId(),
          d.capacity,
          max,
          d.codes));
    }
    return out;
  }

  private static void validateShape(AuthorizationRequest request) {
    if (request.compartments().isEmpty()) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "compartments", "at least one compartment is needed");
    }
    Set<Integer> seen = new HashSet<>();
    for (CompartmentRequest cr : request.compartments()) {
      if (!seen.add(cr.compartment())) {
        throw new DomainException(
            ErrorCode.INVALID_INPUT, "compartments", "compartment " + cr.compartment() + " appears twice");
      }
      if (cr.requestedGallons() != null && cr.requestedGallons() <= 0) {
        throw new DomainException(
            ErrorCode.INVALID_INPUT, "compartments.requestedGallons", "requested gallons must be > 0");
      }
    }
  }

  private static AuthorizationDecision denied(
      DenyCode code, String driverId, AuthorizationRequest request, PinOutcome pin) {
    return new AuthorizationDecision(false, List.of(code), driverId, null, request.vehicleId(), List.of(), pin);
  }

  /** A compartment decision being assembled. */
  private static final class Draft {
    final CompartmentRequest request;
    final List<DenyCode> codes = new ArrayList<>();
    long capacity;
    Reserve reserve;

    Draft(CompartmentRequest request) {
      this.request = request;
    }

    void deny(DenyCode code) {
      if (!codes.contains(code)) {
        codes.add(code);
      }
    }
  }
}
