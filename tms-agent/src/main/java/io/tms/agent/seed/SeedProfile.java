package io.tms.agent.seed;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How big a seeded site is. SMALL, LARGE and STRESS match the workload profiles of DESIGN §10
 * (bays / arms / tanks); DEMO is a mid-sized terminal for the interactive demo. Drivers, vehicles,
 * carriers and customers scale with the site.
 */
public enum SeedProfile {
  DEMO(8, 3, 16, 24, 120, 120, 36),
  SMALL(4, 2, 10, 12, 60, 60, 20),
  LARGE(16, 4, 40, 40, 200, 200, 60),
  STRESS(30, 5, 80, 80, 400, 400, 120);

  private final int bays;
  private final int armsPerBay;
  private final int tanks;
  private final int carriers;
  private final int drivers;
  private final int vehicles;
  private final int customers;

  SeedProfile(int bays, int armsPerBay, int tanks, int carriers, int drivers, int vehicles, int customers) {
    this.bays = bays;
    this.armsPerBay = armsPerBay;
    this.tanks = tanks;
    this.carriers = carriers;
    this.drivers = drivers;
    this.vehicles = vehicles;
    this.customers = customers;
  }

  /** Parses a profile name as given on the command line ({@code demo}, {@code small}, ...). */
  public static SeedProfile parse(String text) {
    String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    for (SeedProfile p : values()) {
      if (p.name().equals(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException("seed profile must be one of " + allowed() + " (was " + text + ")");
  }

  /** The allowed names, comma-separated, for help texts and error messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(SeedProfile::cliName).collect(Collectors.joining(", "));
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int bays() {
    return bays;
  }

  public int armsPerBay() {
    return armsPerBay;
  }

  public int arms() {
    return bays * armsPerBay;
  }

  public int tanks() {
    return tanks;
  }

  public int carriers() {
    return carriers;
  }

  public int drivers() {
    return drivers;
  }

  public int vehicles() {
    return vehicles;
  }

  public int customers() {
    return customers;
  }
}
