package io.tms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.agent.seed.SeedRoster;
import io.tms.sim.AgentUnderTest;
import io.tms.sim.LoopbackHttp;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Simulated terminals of the tms-cli process tests: full load cycles against an agent process. */
final class TestTerminals {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestTerminals() {}

  /**
   * One terminal: full load cycles (authorize → start → complete) at its bay until stopped, each
   * BOL recorded in {@code received} (number → load id) and counted down on {@code progress}.
   * {@code agentMayDie}: a broken connection ends the terminal quietly (the crash test kills the
   * agent under it: what was not answered was not received) instead of failing it.
   */
  static void loadUntilStopped(AgentUnderTest agent, SeedRoster roster, int bayIndex,
      Map<String, String> received, CountDownLatch progress, AtomicBoolean stop, boolean agentMayDie) {
    var bay = roster.bays().get(bayIndex % roster.bays().size());
    var liftings = roster.liftings().stream()
        .filter(l -> bay.productCodes().contains(l.productCode()) && l.reserveGallons() > 100_000).toList();
    var drivers = roster.approvedDrivers();
    Random random = new Random(bayIndex);
    try (LoopbackHttp http = new LoopbackHttp(agent.base())) {
      while (!stop.get() && !liftings.isEmpty()) {
        var driver = drivers.get(random.nextInt(drivers.size()));
        var vehicle = driver.vehicleIds().stream().map(roster::vehicle).flatMap(java.util.Optional::stream)
            .filter(SeedRoster.VehicleEntry::usable).findFirst();
        if (vehicle.isEmpty()) {
          continue;
        }
        var lifting = liftings.get(random.nextInt(liftings.size()));
        var auth = http.post("/v1/authorizations", "{\"cardNumber\":\"" + driver.cardNumber() + "\",\"pin\":\""
            + driver.pin() + "\",\"vehicleId\":\"" + vehicle.get().id() + "\",\"compartments\":[{\"compartment\":1,"
            + "\"customerId\":\"" + lifting.customerId() + "\",\"productCode\":\"" + lifting.productCode() + "\"}]}",
            null);
        JsonNode decision = JSON.readTree(auth.body());
        if (auth.status() != 201 || !decision.get("approved").asBoolean()) {
          continue;
        }
        var started = http.post("/v1/loads", "{\"authorizationId\":\"" + decision.get("authorizationId").asText()
            + "\",\"bayId\":\"" + bay.id() + "\",\"permissives\":{\"groundOk\":true,\"overfillOk\":true},"
            + "\"compartments\":[{\"compartment\":1,\"presetGallons\":500}]}", null);
        if (started.status() != 201) {
          continue;
        }
        String loadId = JSON.readTree(started.body()).get("loadId").asText();
        var done = http.post("/v1/loads/" + loadId + "/complete",
            "{\"compartments\":[{\"compartment\":1,\"grossGallons\":499.5,\"temperatureF\":71.3}]}", null);
        if (done.status() == 201) {
          received.put(JSON.readTree(done.body()).get("bolNumber").asText(), loadId);
          progress.countDown();
        }
      }
    } catch (IOException e) {
      if (!agentMayDie) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
