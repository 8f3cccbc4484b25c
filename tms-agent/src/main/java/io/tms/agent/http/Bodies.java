package io.tms.agent.http;

import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.authorization.AuthorizationRequest;
import io.tms.domain.loading.MeterReading;
import io.tms.domain.loading.Permissives;
import io.tms.agent.service.LoadingService.StartLoad;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request bodies of the terminal API (v1) and their validation. Fields are boxed so that a
 * missing one is reported by name instead of defaulting to zero.
 */
final class Bodies {
  private Bodies() {}

  static final long MAX_GALLONS = 20_000;
  private static final int MAX_TEXT = 64;

  record Authorize(String cardNumber, String pin, String vehicleId, String carrierId, List<Intent> compartments) {
    AuthorizationRequest toRequest() {
      text("cardNumber", cardNumber);
      text("pin", pin);
      text("vehicleId", vehicleId);
      if (carrierId != null) {
        text("carrierId", carrierId);
      }
      list("compartments", compartments, 1, 12);
      for (Intent c : compartments) {
        required("compartments", c);
      }
      return new AuthorizationRequest(
          cardNumber, pin, vehicleId, carrierId, compartments.stream().map(c -> c.toRequest()).toList());
    }
  }

  record Intent(Integer compartment, String customerId, String productCode, Long requestedGallons) {
    AuthorizationRequest.CompartmentRequest toRequest() {
      Bodies.compartment("compartments.compartment", compartment);
      text("compartments.customerId", customerId);
      text("compartments.productCode", productCode);
      if (requestedGallons != null) {
        range("compartments.requestedGallons", requestedGallons, 1, MAX_GALLONS);
      }
      return new AuthorizationRequest.CompartmentRequest(compartment, customerId, productCode, requestedGallons);
    }
  }

  record StartLoadBody(String authorizationId, String bayId, PermissivesBody permissives, List<Preset> compartments) {
    StartLoad toCommand() {
      text("authorizationId", authorizationId);
      if (bayId != null) {
        text("bayId", bayId);
      }
      required("permissives", permissives);
      required("permissives.groundOk", permissives.groundOk());
      required("permissives.overfillOk", permissives.overfillOk());
      list("compartments", compartments, 1, 12);
      Map<Integer, Long> presets = new LinkedHashMap<>();
      for (Preset p : compartments) {
        required("compartments", p);
        compartment("compartments.compartment", p.compartment());
        required("compartments.presetGallons", p.presetGallons());
        range("compartments.presetGallons", p.presetGallons(), 1, MAX_GALLONS);
        if (presets.put(p.compartment(), p.presetGallons()) != null) {
          throw invalid("compartments", "compartment " + p.compartment() + " appears twice");
        }
      }
      return new StartLoad(
          authorizationId, bayId, new Permissives(permissives.groundOk(), permissives.overfillOk()), presets);
    }
  }

  record PermissivesBody(Boolean groundOk, Boolean overfillOk) {}

  record Preset(Integer compartment, Long presetGallons) {}

  record CompleteLoadBody(List<Reading> compartments) {
    List<MeterReading> toReadings() {
      list("compartments", compartments, 1, 12);
      return compartments.stream().map(r -> {
        required("compartments", r);
        compartment("compartments.compartment", r.compartment());
        required("compartments.grossGallons", r.grossGallons());
        range("compartments.grossGallons", r.grossGallons(), 0, MAX_GALLONS);
        required("compartments.temperatureF", r.temperatureF());
        finite("compartments.temperatureF", r.temperatureF());
        optionalFinite("compartments.baseDensityKgM3", r.baseDensityKgM3());
        if (r.apiGravity() != null) {
          finite("compartments.apiGravity", r.apiGravity());
        }
        optionalFinite("compartments.observedDensityKgM3", r.observedDensityKgM3());
        return new MeterReading(r.compartment(), r.grossGallons(), r.temperatureF(), r.baseDensityKgM3(),
            r.apiGravity(), r.observedDensityKgM3());
      }).toList();
    }
  }

  record Reading(
      Integer compartment, Double grossGallons, Double temperatureF, Double baseDensityKgM3, Double apiGravity,
      Double observedDensityKgM3) {}

  /** {@code operator}: who at the site did it, for the audit log (optional). */
  record CancelBody(String reason, String operator) {
    void validate() {
      TerminalSecurity.optionalText("reason", reason);
      TerminalSecurity.optionalText("operator", operator);
    }
  }

  /** A manual gauge entry; {@code operator} names who took it, for the audit log (optional). */
  record GaugeBody(Double grossGallons, Double waterGallons, Double temperatureF, Instant readAt, String operator) {
    void validate() {
      TerminalSecurity.optionalText("operator", operator);
      required("grossGallons", grossGallons);
      finite("grossGallons", grossGallons);
      finite("temperatureF", required("temperatureF", temperatureF));
      if (waterGallons != null) {
        finite("waterGallons", waterGallons);
      }
    }
  }

  /**
   * Product received into a tank: {@code source} PIPELINE, BARGE, RAIL, TRUCK or OPENING (the
   * opening balance of a tank without a book), the net gallons at 60 °F of the receiving ticket,
   * optionally when, the shipper's ticket number and who took it in (both for the audit log).
   */
  record ReceiptBody(String source, Double netGallons, Instant receivedAt, String ticket, String operator) {
    void validate() {
      TerminalSecurity.optionalText("operator", operator);
      TerminalSecurity.optionalText("ticket", ticket);
      sourceValue();
      finite("netGallons", required("netGallons", netGallons));
      if (!(netGallons > 0)) {
        throw invalid("netGallons", "netGallons must be > 0 (was " + netGallons + ")");
      }
    }

    io.tms.domain.inventory.TankStock.Source sourceValue() {
      text("source", source);
      try {
        return io.tms.domain.inventory.TankStock.Source.valueOf(source);
      } catch (IllegalArgumentException e) {
        throw invalid("source", "source must be one of "
            + java.util.Arrays.toString(io.tms.domain.inventory.TankStock.Source.values()) + " (was " + source + ")");
      }
    }
  }

  record UnlockBody(String operator) {}

  // ---------------------------------------------------------------- checks

  static <T> T required(String field, T value) {
    if (value == null) {
      throw invalid(field, field + " is required");
    }
    return value;
  }

  static void text(String field, String value) {
    required(field, value);
    if (value.isBlank() || value.length() > MAX_TEXT) {
      throw invalid(field, field + " must be 1-" + MAX_TEXT + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw invalid(field, field + " must not contain control characters");
      }
    }
  }

  static void list(String field, List<?> value, int min, int max) {
    required(field, value);
    if (value.size() < min || value.size() > max) {
      throw invalid(field, field + " must have " + min + "-" + max + " entries (had " + value.size() + ")");
    }
  }

  static void compartment(String field, Integer number) {
    required(field, number);
    if (number < 1 || number > 12) {
      throw invalid(field, field + " must be 1-12 (was " + number + ")");
    }
  }

  static void range(String field, double value, double min, double max) {
    finite(field, value);
    if (value < min || value > max) {
      throw invalid(field, field + " must be between " + min + " and " + max + " (was " + value + ")");
    }
  }

  static Double finite(String field, Double value) {
    if (value.isNaN() || value.isInfinite()) {
      throw invalid(field, field + " must be a finite number");
    }
    return value;
  }

  static void optionalFinite(String field, Double value) {
    if (value != null) {
      finite(field, value);
      if (value <= 0) {
        throw invalid(field, field + " must be > 0");
      }
    }
  }

  static DomainException invalid(String field, String message) {
    return new DomainException(ErrorCode.INVALID_INPUT, field, message);
  }
}
