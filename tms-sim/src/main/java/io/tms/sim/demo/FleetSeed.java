package io.tms.sim.demo;

import io.tms.agent.seed.DemoSeed;
import io.tms.agent.seed.SeedData;
import io.tms.agent.seed.SeedProfile;
import io.tms.agent.seed.SeedRoster;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's fleet data: each site keeps its own terminal (site, tanks, bays, opening inventory,
 * generated for its code and profile), while the people and the business — customers, carriers,
 * drivers and cards, vehicles, lifting rights, allocations and the reserve floors — are one set
 * shared by every site, as in a real fleet where a driver loads at any terminal and an allocation
 * is spent at several. (Generated per site, the same driver ids would carry different cards and
 * PINs at each site, and the cloud, which owns them once, would hold only the first.) The shared
 * set is the one generated for the smallest site: a few dozen drivers and customers are plenty for
 * the trucks in circulation, and fewer allocations keep the cloud's reserve rounds light on a
 * laptop. Each site's reserve floor of an allocation is the generated reserve split evenly among
 * the sites, so the floors together fit in the allocation as a dispatcher would set them.
 */
public final class FleetSeed {
  private FleetSeed() {}

  /** One site of the fleet: its code and size. */
  public record SiteSpec(String code, SeedProfile profile) {}

  /** The seed data of each site, in the order given; pure and deterministic. */
  public static List<SeedData> generate(List<SiteSpec> sites, LocalDate today) {
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one site");
    }
    List<SeedData> own = sites.stream().map(s -> DemoSeed.generate(s.code(), s.profile(), today)).toList();
    SeedData shared = own.stream().min(Comparator.comparingInt((SeedData d) -> d.drivers().size())).orElseThrow();
    Map<String, Long> floors = new LinkedHashMap<>();
    shared.reserveGallons().forEach((id, gallons) -> floors.put(id, Math.max(100, gallons / sites.size() / 100 * 100)));
    List<SeedData> out = new ArrayList<>();
    for (SeedData site : own) {
      SeedRoster roster = new SeedRoster(site.site().code(), site.profile(), today, site.products(),
          site.roster().bays(), shared.roster().drivers(), shared.roster().vehicles(), shared.roster().liftings(),
          shared.roster().deniedLiftings());
      out.add(new SeedData(site.site(), site.profile(), today, site.products(), site.tanks(), site.bays(),
          shared.customers(), shared.carriers(), shared.drivers(), shared.vehicles(), shared.liftingRights(),
          shared.allocations(), floors, site.openingNetGallons(), roster));
    }
    return out;
  }
}
