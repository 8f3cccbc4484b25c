/**
 * The cloud's reserve ledger (DESIGN §4, docs/reserves.md): per allocation and site, the running
 * totals of what was granted, asked back, given back and consumed; the hooks the uplink ingest calls
 * inside its transaction ({@link io.tms.api.reserve.ReserveLedger}); the round that tops up and
 * rebalances with {@link io.tms.domain.allocation.ReservePolicy} and puts the new reserve records on
 * the change feed ({@link io.tms.api.reserve.ReserveRebalancer}, {@link io.tms.api.reserve.ReserveJob});
 * and the admin endpoints ({@link io.tms.api.reserve.ReserveRoutes}).
 */
package io.tms.api.reserve;
