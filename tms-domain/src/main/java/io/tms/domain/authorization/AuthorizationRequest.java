package io.tms.domain.authorization;

import java.util.List;
import java.util.Objects;

/**
 * A driver at the gate: card, PIN, vehicle, and what they intend to load into each compartment.
 * {@code carrierId} is optional: a driver who hauls for several carriers names the one they load
 * for, and the vehicle must belong to it; without it the vehicle's carrier is taken. The PIN is
 * never logged ({@link #toString()} leaves it out).
 */
public record AuthorizationRequest(
    String cardNumber, String pin, String vehicleId, String carrierId, List<CompartmentRequest> compartments) {

  public AuthorizationRequest {
    Objects.requireNonNull(cardNumber, "cardNumber");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(vehicleId, "vehicleId");
    compartments = List.copyOf(compartments);
  }

  /**
   * One compartment's intent. {@code requestedGallons} may be null: the answer then says how much
   * the compartment may take.
   */
  public record CompartmentRequest(int compartment, String customerId, String productCode, Long requestedGallons) {
    public CompartmentRequest {
      Objects.requireNonNull(customerId, "customerId");
      Objects.requireNonNull(productCode, "productCode");
    }
  }

  @Override
  public String toString() {
    return "AuthorizationRequest[card=" + cardNumber + ", vehicle=" + vehicleId + ", compartments=" + compartments + "]";
  }
}
