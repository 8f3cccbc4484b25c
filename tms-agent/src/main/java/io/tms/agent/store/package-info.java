/**
 * The site database: one SQLite file in WAL mode, migrated by Flyway when it needs it
 * ({@link io.tms.agent.store.SiteSchema}). All writes go through one
 * {@link io.tms.agent.store.WriteQueue} (a single writer with group commit and a pipelined WAL flush:
 * nobody hears of a commit before it is on disk); reads use a small pool of read-only connections.
 */
package io.tms.agent.store;
