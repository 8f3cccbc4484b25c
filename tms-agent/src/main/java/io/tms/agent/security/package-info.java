/**
 * The site's own security (DESIGN §5, terminals on the site LAN): terminal credentials (issued in
 * the cloud, replicated hashed through the change feed, or written by a seed), checked on every
 * terminal API call from memory; and the site's append-only, hash-chained audit log of manual
 * actions and overrides, which also goes up the business lane.
 */
package io.tms.agent.security;
