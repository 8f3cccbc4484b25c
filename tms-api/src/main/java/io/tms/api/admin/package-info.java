/**
 * The admin API for master data ({@code /v1/...}, docs/cloud-api.md): create, read, replace and
 * deactivate sites, products, tanks, bays, customers, carriers, drivers, vehicles, lifting rights and
 * allocations. Every write checks its input (400 naming the field), its references (422), the row
 * version the client saw (If-Match, 428/412), and appends the whole resulting record to the change
 * feed in the same transaction. {@link io.tms.api.admin.AdminRoutes} wires it.
 */
package io.tms.api.admin;
