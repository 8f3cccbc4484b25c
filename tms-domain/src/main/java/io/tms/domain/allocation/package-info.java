/**
 * Escrowed allocations (DESIGN §4): a site spends only the reserve the cloud granted it, so an
 * allocation is never oversold while the site is offline.
 */
package io.tms.domain.allocation;
