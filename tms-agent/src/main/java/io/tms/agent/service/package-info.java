/**
 * The site's operations: each runs as one unit of work in the writer's transaction, applies the
 * domain rules, records what happened in the outbox, and returns what the terminal is told.
 */
package io.tms.agent.service;
