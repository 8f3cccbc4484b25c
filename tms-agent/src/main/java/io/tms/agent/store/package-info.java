/**
 * The site database: one SQLite file in WAL mode with {@code synchronous=FULL}, migrated by Flyway.
 * All writes go through one {@link io.tms.agent.store.WriteQueue} (a single writer with group
 * commit); reads use a small pool of read-only connections.
 */
package io.tms.agent.store;
