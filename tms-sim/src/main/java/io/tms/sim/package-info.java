/**
 * Simulated terminals and the benchmarks that use them. The simulator is a client of the terminal
 * API like any kiosk or bay controller; it knows the site only through a seed roster.
 */
package io.tms.sim;
