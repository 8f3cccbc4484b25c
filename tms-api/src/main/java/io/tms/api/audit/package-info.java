/**
 * The cloud's audit log (DESIGN §5, docs/security.md): one append-only, hash-chained row per change
 * made through the admin API — who, what, before and after, when, from where — written in the
 * change's own transaction ({@link io.tms.api.audit.AuditLog}), read and verified over HTTP
 * ({@link io.tms.api.audit.AuditRoutes}: {@code GET /v1/audit}, {@code GET /v1/audit/verify}).
 */
package io.tms.api.audit;
