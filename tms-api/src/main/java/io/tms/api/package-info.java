/**
 * The cloud service ({@code tms-api}): PostgreSQL store, admin API, change feed, uplink ingest,
 * reserves and fleet. {@link io.tms.api.Cloud} is the composition root.
 */
package io.tms.api;
