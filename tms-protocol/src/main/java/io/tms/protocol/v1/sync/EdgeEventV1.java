package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One outbox event on the wire. {@code body} is the event's JSON exactly as the site hashed it
 * (a string, so the cloud can recompute {@code hash} byte for byte; see
 * {@link io.tms.protocol.v1.EventHash}).
 *
 * <p>Added compatibly in v1: instead of {@code body}, an event may carry the same JSON inlined,
 * unquoted, as {@code bodyJson}; the hash is then over the exact bytes between its opening and
 * closing brace. This saves escaping every quote at the site and unescaping it in the cloud. Agents
 * write it with their own batch writer; this record (used by tests and tools) keeps the string form.
 * A cloud that knows {@code bodyJson} accepts both forms, even mixed in one batch.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EdgeEventV1(long seq, String type, String occurredAt, String body, String hash) {}
