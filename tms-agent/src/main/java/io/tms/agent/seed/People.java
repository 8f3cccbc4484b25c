package io.tms.agent.seed;

import io.tms.domain.masterdata.Carrier;
import io.tms.domain.masterdata.Driver;
import io.tms.domain.masterdata.Vehicle;
import java.util.List;
import java.util.Map;

/** The generated carriers, drivers (with their plain PINs, by driver id) and vehicles. */
record People(List<Carrier> carriers, List<Driver> drivers, Map<String, String> pins, List<Vehicle> vehicles) {
  People {
    carriers = List.copyOf(carriers);
    drivers = List.copyOf(drivers);
    pins = Map.copyOf(pins);
    vehicles = List.copyOf(vehicles);
  }
}
