package io.tms.api.store;

/** A stored record with its row version (the admin API's ETag). */
public record Versioned<R>(R record, long version) {}
