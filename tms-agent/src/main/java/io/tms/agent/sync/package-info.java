/**
 * The agent's side of sync (DESIGN §3): the change feed it applies (downlink), the outbox it drains
 * (uplink) and the heartbeat it sends, all over one {@link io.tms.agent.sync.CloudLink}. Nothing
 * here is on the terminal hot path: a site loads trucks the same whether the link is up or not.
 */
package io.tms.agent.sync;
