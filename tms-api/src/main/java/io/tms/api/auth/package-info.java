/**
 * Who may call the cloud's admin API (DESIGN §5, docs/security.md): users with roles, their API
 * tokens (bearer, stored as SHA-256), OIDC JWTs from a configured issuer, and the permission matrix
 * ({@link io.tms.api.auth.RoutePermissions}) that a before-handler ({@link io.tms.api.auth.Authenticator})
 * checks for every route: 401 without a valid credential, 403 without the permission or outside
 * the caller's sites. The edge channel ({@code /edge/...}) is authenticated by site certificates,
 * not here.
 */
package io.tms.api.auth;
