package io.tms.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.store.MasterTable;
import io.tms.protocol.v1.sync.VehicleV1;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Vehicles of a carrier with their compartments (numbered from 1, each once, capacity > 0). */
final class VehicleAdmin implements AdminEntity<VehicleAdmin.Body, VehicleV1> {
  record Body(
      String id, String carrierId, LocalDate inspectionExpires, List<CompartmentBody> compartments, Boolean active,
      Long version) {}

  record CompartmentBody(Integer number, Long capacityGallons) {}

  private static final TypeReference<List<VehicleV1.Compartment>> COMPARTMENTS = new TypeReference<>() {};

  private final ObjectMapper json;
  private final MasterTable<VehicleV1> table;

  VehicleAdmin(ObjectMapper json) {
    this.json = json;
    this.table = new MasterTable<>("vehicle", null, List.of("id"), Set.of("compartments"),
        v -> MasterTable.columns("id", v.id(), "carrier_id", v.carrierId(), "inspection_expires", v.inspectionExpires(),
            "compartments", write(v.compartments()), "active", v.active()),
        rs -> new VehicleV1(rs.getString("id"), rs.getString("carrier_id"), rs.getBoolean("active"),
            rs.getObject("inspection_expires", LocalDate.class), read(rs.getString("compartments"))));
  }

  @Override
  public String collection() {
    return "vehicles";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<VehicleV1> table() {
    return table;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public VehicleV1 record(String site, String key, Body b, VehicleV1 current) {
    String id = Fields.id("id", Fields.key("id", b.id(), key));
    List<CompartmentBody> bodies = Fields.required("compartments", b.compartments());
    if (bodies.isEmpty()) {
      throw Fields.invalid("compartments", "a vehicle has at least one compartment");
    }
    List<VehicleV1.Compartment> compartments = new ArrayList<>();
    Set<Integer> numbers = new HashSet<>();
    for (int i = 0; i < bodies.size(); i++) {
      String field = "compartments[" + i + "]";
      CompartmentBody c = Fields.required(field, bodies.get(i));
      int number = Fields.required(field + ".number", c.number());
      if (number < 1) {
        throw Fields.invalid(field + ".number", "compartment numbers start at 1");
      }
      if (!numbers.add(number)) {
        throw Fields.invalid(field + ".number", "compartment " + number + " appears twice");
      }
      long capacity = Fields.required(field + ".capacityGallons", c.capacityGallons());
      if (capacity <= 0) {
        throw Fields.invalid(field + ".capacityGallons", "capacityGallons must be > 0");
      }
      compartments.add(new VehicleV1.Compartment(number, capacity));
    }
    compartments.sort(Comparator.comparingInt(VehicleV1.Compartment::number));
    return new VehicleV1(id, Fields.id("carrierId", b.carrierId()),
        Fields.active(b.active(), current == null ? null : current.active()),
        Fields.required("inspectionExpires", b.inspectionExpires()), List.copyOf(compartments));
  }

  @Override
  public void checkReferences(Handle h, VehicleV1 v) {
    References.exists(h, "carrier", "id", v.carrierId(), "carrierId");
  }

  @Override
  public boolean active(VehicleV1 r) {
    return r.active();
  }

  @Override
  public VehicleV1 deactivated(VehicleV1 r) {
    return new VehicleV1(r.id(), r.carrierId(), false, r.inspectionExpires(), r.compartments());
  }

  private String write(List<VehicleV1.Compartment> compartments) {
    try {
      return json.writeValueAsString(compartments);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<VehicleV1.Compartment> read(String text) {
    try {
      return json.readValue(text, COMPARTMENTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable compartments in table vehicle", e);
    }
  }
}
