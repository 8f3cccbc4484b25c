package io.tms.protocol.v1;

/** The {@code type} of each outbox event and the record its body deserializes to. */
public final class EventTypes {
  private EventTypes() {}

  public static final String AUTHORIZATION_DECIDED = "authorization.decided.v1";
  public static final String LOAD_STARTED = "load.started.v1";
  public static final String LOAD_CANCELLED = "load.cancelled.v1";
  public static final String BOL_ISSUED = "bol.issued.v1";
  public static final String INVENTORY_MOVED = "inventory.moved.v1";
  public static final String GAUGE_READING_RECORDED = "gauge.recorded.v1";
  public static final String CARD_UNLOCKED = "card.unlocked.v1";
  public static final String RESERVE_RELEASED = "reserve.released.v1";
  public static final String AUDIT_RECORDED = "audit.recorded.v1";
  /** Telemetry lane. */
  public static final String TELEMETRY_SAMPLES = "telemetry.samples.v1";

  /** The body record of a type, for consumers that deserialize by type. */
  public static Class<?> bodyType(String type) {
    return switch (type) {
      case AUTHORIZATION_DECIDED -> AuthorizationDecidedV1.class;
      case LOAD_STARTED -> LoadStartedV1.class;
      case LOAD_CANCELLED -> LoadCancelledV1.class;
      case BOL_ISSUED -> BolIssuedV1.class;
      case INVENTORY_MOVED -> InventoryMovedV1.class;
      case GAUGE_READING_RECORDED -> GaugeReadingRecordedV1.class;
      case CARD_UNLOCKED -> CardUnlockedV1.class;
      case RESERVE_RELEASED -> ReserveReleasedV1.class;
      case AUDIT_RECORDED -> AuditRecordedV1.class;
      case TELEMETRY_SAMPLES -> TelemetrySamplesV1.class;
      default -> throw new IllegalArgumentException("unknown event type " + type);
    };
  }
}
