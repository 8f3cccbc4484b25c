/**
 * Built-in, realistic master data for a standalone site ({@code tms agent --seed demo}) and for
 * benchmarks: products, tanks, bays and arms, customers with lifting rights and allocations,
 * carriers, drivers with cards and PINs, vehicles — with a few deliberate bad cases so simulated
 * traffic sees realistic denials.
 *
 * <p>{@link io.tms.agent.seed.DemoSeed#generate} is pure and deterministic, so a terminal simulator
 * in another process recomputes the same data (and its {@link io.tms.agent.seed.SeedRoster}) from
 * the site code, the profile and the date; {@link io.tms.agent.seed.DemoSeed#write} writes it with
 * upserts that leave edge-born state (book inventory, consumed reserves) alone.
 */
package io.tms.agent.seed;
