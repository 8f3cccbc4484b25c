/**
 * Master data: owned by the cloud, replicated to each site, read-only at the edge. Immutable records
 * that check their own invariants on construction.
 */
package io.tms.domain.masterdata;
