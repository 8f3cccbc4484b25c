/**
 * The cloud service (PostgreSQL, admin API, change feed, uplink ingest, fleet view). Built in the
 * cloud-and-sync issue; the module exists now so that the layout of DESIGN §9 is in place.
 */
package io.tms.api;
