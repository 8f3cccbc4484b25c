/**
 * Escrowed allocations (DESIGN §4): a site spends only the reserve the cloud granted it, so an
 * allocation is never oversold while the site is offline.
 *
 * <ul>
 *   <li>{@link io.tms.domain.allocation.Reserve} — the site's side: granted, consumed, held;
 *       {@link io.tms.domain.allocation.ReleaseRule} — how a site answers a release request.
 *   <li>{@link io.tms.domain.allocation.Escrow} — the cloud's side: per site running totals
 *       ({@link io.tms.domain.allocation.SiteAccount}) and the invariant
 *       {@code Σ(granted − released) ≤ total}.
 *   <li>{@link io.tms.domain.allocation.ReservePolicy} — targets, top-ups and rebalancing, as a
 *       {@link io.tms.domain.allocation.ReservePlan}.
 * </ul>
 */
package io.tms.domain.allocation;
