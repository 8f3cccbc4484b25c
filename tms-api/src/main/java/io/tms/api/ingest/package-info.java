/**
 * Uplink ingest (DESIGN §3): the edge endpoint that applies a site's outbox batches exactly once,
 * the typed tables they land in, and the queries of what sites did (BOLs, loads, inventory).
 */
package io.tms.api.ingest;
