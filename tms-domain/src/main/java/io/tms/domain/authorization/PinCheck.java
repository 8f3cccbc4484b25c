package io.tms.domain.authorization;

import io.tms.domain.masterdata.Driver;

/**
 * Whether a PIN is a driver's. The plain check derives the PIN hash each time; an application may
 * put a cache in front of it (the derivation is deliberately slow).
 */
@FunctionalInterface
public interface PinCheck {
  PinCheck DERIVE = (driver, pin) -> driver.pinHash().matches(pin);

  boolean matches(Driver driver, String pin);
}
