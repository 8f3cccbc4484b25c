package io.tms.agent.service;

/**
 * What a unit of work recorded, with the JSON text it was stored as (outbox body, BOL document).
 * The terminal API answers with that same text instead of serializing the value once more; both
 * come from the agent's one {@code ObjectMapper}, so the bytes are the ones it would have written.
 */
public record Recorded<T>(T value, String json) {}
