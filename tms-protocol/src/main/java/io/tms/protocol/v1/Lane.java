package io.tms.protocol.v1;

/**
 * Outbox lanes, drained in this order (DESIGN §3): business events are never dropped; telemetry
 * has a byte budget and may drop its oldest samples, counting what it dropped.
 */
public enum Lane {
  BUSINESS,
  TELEMETRY
}
