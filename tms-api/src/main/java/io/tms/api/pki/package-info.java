/**
 * Site certificates (DESIGN §5): the cloud's CA (its encrypted keystore shared by every replica),
 * one-time bootstrap tokens, EST enrollment and renewal (RFC 7030), revocation heard by every
 * replica, and the mTLS edge listener that takes a site's identity from its certificate only.
 * See docs/pki.md.
 */
package io.tms.api.pki;
