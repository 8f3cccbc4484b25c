/**
 * {@code tms demo}: a cloud, several sites each in its own agent process behind a fault proxy, and
 * simulated terminals, played on a simulation clock through a script (an outage, a card revoked in
 * the cloud, an allocation running low, optional chaos), with a live console view and a
 * reconciliation of every BOL and every allocation at the end. {@link io.tms.sim.demo.Demo} runs it;
 * the {@code tms demo} command (tms-cli) only parses options and says how to start an agent.
 */
package io.tms.sim.demo;
