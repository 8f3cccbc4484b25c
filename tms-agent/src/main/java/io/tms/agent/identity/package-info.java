/**
 * The site's identity towards the cloud: its own EC P-256 key (made here, never sent anywhere),
 * its certificate from the cloud's CA (EST enrollment with a one-time bootstrap token, renewal at
 * two thirds of the lifetime, swapped into the live TLS context without a restart) and the pinned
 * cloud CA, the only one the agent trusts.
 */
package io.tms.agent.identity;
