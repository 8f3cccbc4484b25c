package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One outbox event on the wire. {@code body} is the event's JSON exactly as the site hashed it
 * (a string, so the cloud can recompute {@code hash} byte for byte; see
 * {@link io.tms.protocol.v1.EventHash}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EdgeEventV1(long seq, String type, String occurredAt, String body, String hash) {}
