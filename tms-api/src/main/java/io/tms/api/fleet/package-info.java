/**
 * Fleet (DESIGN §6): heartbeats and the latest state each site reported
 * ({@link io.tms.api.fleet.HeartbeatBuffer}), the fleet view of the admin API
 * ({@link io.tms.api.fleet.FleetApi}), offline detection run once across replicas
 * ({@link io.tms.api.fleet.OfflineDetector}) and admission control for sites draining their
 * backlogs after an outage ({@link io.tms.api.fleet.DrainGate}). {@link io.tms.api.fleet.Fleet}
 * wires them.
 */
package io.tms.api.fleet;
