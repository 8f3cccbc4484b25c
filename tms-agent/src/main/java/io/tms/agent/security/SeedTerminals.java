package io.tms.agent.security;

import org.jdbi.v3.core.Handle;

/**
 * The terminals a built-in data set ({@code --seed}, and the test sites) provisions, with secrets
 * that are written down here on purpose: seeded sites are demos and benchmarks, and their simulators
 * must be able to call the API. A real site gets its terminals from the cloud
 * ({@code POST /v1/sites/{site}/terminals}), whose secrets are random and shown once.
 */
public final class SeedTerminals {
  /** The terminal the simulator, the demo and the benchmarks use. */
  public static final String SIMULATOR_ID = "SIM";
  public static final String SIMULATOR_SECRET = "tms-seed-terminal-SIM";

  private SeedTerminals() {}

  /** The secret of seed terminal {@code id}: {@code tms-seed-terminal-<id>}. */
  public static String secret(String id) {
    return "tms-seed-terminal-" + id;
  }

  /** Writes the seed terminals: SIM (simulators), KIOSK1 and KIOSK2 (gate), BAYCTL (bay controllers). */
  public static void write(Handle h) {
    TerminalStore store = new TerminalStore();
    store.upsert(h, SIMULATOR_ID, "Simulated terminals", "OTHER", TerminalCredentials.sha256Hex(SIMULATOR_SECRET),
        true);
    for (String kiosk : new String[] {"KIOSK1", "KIOSK2"}) {
      store.upsert(h, kiosk, "Gate kiosk " + kiosk.substring(5), "KIOSK", TerminalCredentials.sha256Hex(secret(kiosk)),
          true);
    }
    store.upsert(h, "BAYCTL", "Bay controllers", "BAY_CONTROLLER", TerminalCredentials.sha256Hex(secret("BAYCTL")),
        true);
  }
}
