package io.tms.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition another thread or process makes true (a row committed by a replica, a
 * listener connected), polling it until a deadline: for facts that have no signal to wait on. A
 * condition that never holds fails the test naming what was awaited; nothing waits a fixed time.
 * Where a signal exists (a future, a latch, {@code CloudLink.awaitState}, the feed's NOTIFY), tests
 * wait on it instead. Shared by the tests of tms-api, tms-sim and tms-cli (module tms-testkit, as
 * tms-api's tests cannot depend on tms-sim).
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
