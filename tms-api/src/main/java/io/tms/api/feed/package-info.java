/**
 * The change feed (DESIGN §3, downlink): {@link io.tms.api.feed.ChangeLog} appends master-data
 * changes in the writer's transaction with gap-free revs; {@link io.tms.api.feed.ChangeFeed} serves
 * them to sites as long polls, woken across replicas by {@link io.tms.api.feed.FeedNotifier}
 * (PostgreSQL LISTEN/NOTIFY).
 */
package io.tms.api.feed;
