package io.tms.domain.authorization;

/**
 * Edge-born state of a card: consecutive wrong PINs and whether that locked it. A site operator
 * unlocks a card; a right PIN resets the count.
 */
public record CardState(int failedPinAttempts, boolean locked) {
  public static final CardState FRESH = new CardState(0, false);

  public CardState {
    if (failedPinAttempts < 0) {
      throw new IllegalArgumentException("failedPinAttempts must be >= 0");
    }
  }

  /** The state after a PIN check, locking the card at {@code maxFailures} consecutive failures. */
  public CardState after(PinOutcome outcome, int maxFailures) {
    return switch (outcome) {
      case NOT_CHECKED -> this;
      case MATCHED -> FRESH;
      case MISMATCHED -> {
        int failures = failedPinAttempts + 1;
        yield new CardState(failures, locked || failures >= maxFailures);
      }
    };
  }
}
