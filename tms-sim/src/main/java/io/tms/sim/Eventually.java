package io.tms.sim;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition another thread or process makes true (a row committed by a replica, a
 * listener connected), polling it until a deadline: for facts that have no signal to wait on. A
 * condition that never holds fails the test naming what was awaited; nothing waits a fixed time.
 * Part of the test kit (as {@link LinkSwitch} and {@link AgentUnderTest}), for the tests of tms-sim
 * and tms-cli; tms-api's tests, which cannot depend on tms-sim, have their own copy.
 */
public final class Eventually {
  private Eventually() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 1;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(pauseMillis);
      pauseMillis = Math.min(20, pauseMillis * 2);
    }
  }
}
