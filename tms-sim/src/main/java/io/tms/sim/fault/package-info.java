/**
 * Fault injection between an agent and the cloud: {@link io.tms.sim.fault.FaultProxy}, a TCP proxy
 * that passes, cuts, delays, resets or black-holes connections, or cuts one after N bytes.
 */
package io.tms.sim.fault;
