/**
 * The rules of a terminal, in plain Java: what a driver may load, how much of an allocation a site
 * may spend, how metered volumes become net volumes at 60 °F, how BOLs are numbered and how tank
 * inventory moves. No I/O, no SQL, no HTTP, no frameworks — checked by an ArchUnit test.
 *
 * <p>Units: volumes in US gallons, temperatures in °F, densities in kg/m³ at 60 °F. Allocation and
 * reserve quantities are whole gross gallons (what the preset controller meters), so the escrow
 * arithmetic is exact.
 */
package io.tms.domain;
