/**
 * Loading a truck (DESIGN §2 steps 2–4): a plan of presets per compartment at a bay, the metered
 * readings that complete it, and the bill of lading that results, numbered by the site alone.
 */
package io.tms.domain.loading;
