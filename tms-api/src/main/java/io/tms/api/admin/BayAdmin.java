package io.tms.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tms.api.http.ApiException;
import io.tms.api.store.MasterTable;
import io.tms.protocol.v1.sync.BayV1;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Loading bays of one site with their arms. Each arm maps the products it carries to the tank of
 * this site feeding it; arm ids are unique within the site (the edge keys arms by id).
 */
final class BayAdmin implements AdminEntity<BayAdmin.Body, BayV1> {
  record Body(String id, String siteCode, String name, List<ArmBody> arms, Boolean active, Long version) {}

  record ArmBody(String id, String meterId, Map<String, String> tankByProduct) {}

  private static final TypeReference<List<BayV1.Arm>> ARMS = new TypeReference<>() {};

  private final ObjectMapper json;
  private final MasterTable<BayV1> table;

  BayAdmin(ObjectMapper json) {
    this.json = json;
    this.table = new MasterTable<>("bay", "site_code", List.of("id"), Set.of("arms"),
        b -> MasterTable.columns("id", b.id(), "site_code", b.siteCode(), "name", b.name(), "arms", write(b.arms()),
            "active", b.active()),
        rs -> new BayV1(rs.getString("id"), rs.getString("site_code"), rs.getString("name"), rs.getBoolean("active"),
            read(rs.getString("arms"))));
  }

  @Override
  public String collection() {
    return "bays";
  }

  @Override
  public Class<Body> bodyType() {
    return Body.class;
  }

  @Override
  public MasterTable<BayV1> table() {
    return table;
  }

  @Override
  public String keyField() {
    return "id";
  }

  @Override
  public boolean siteScoped() {
    return true;
  }

  /** Within the site's scope the key is the id alone (the feed's key adds the site). */
  @Override
  public List<String> key(BayV1 r) {
    return List.of(r.id());
  }

  @Override
  public BayV1 record(String site, String key, Body b, BayV1 current) {
    String id = Fields.id("id", Fields.key("id", b.id(), key));
    Fields.key("siteCode", b.siteCode(), site);
    List<BayV1.Arm> arms = new ArrayList<>();
    Set<String> armIds = new HashSet<>();
    List<ArmBody> bodies = Fields.required("arms", b.arms());
    for (int i = 0; i < bodies.size(); i++) {
      String field = "arms[" + i + "]";
      ArmBody a = Fields.required(field, bodies.get(i));
      String armId = Fields.id(field + ".id", a.id());
      if (!armIds.add(armId)) {
        throw Fields.invalid(field + ".id", "arm id " + armId + " appears twice");
      }
      Map<String, String> tanks = Fields.required(field + ".tankByProduct", a.tankByProduct());
      if (tanks.isEmpty()) {
        throw Fields.invalid(field + ".tankByProduct", "an arm carries at least one product");
      }
      Map<String, String> sorted = new TreeMap<>();
      tanks.forEach((product, tank) -> {
        Fields.id(field + ".tankByProduct", product);
        sorted.put(product, Fields.id(field + ".tankByProduct." + product, tank));
      });
      arms.add(new BayV1.Arm(armId, Fields.id(field + ".meterId", a.meterId()), sorted));
    }
    return new BayV1(id, site, Fields.name("name", b.name()),
        Fields.active(b.active(), current == null ? null : current.active()), List.copyOf(arms));
  }

  /** Every tank exists at this site and holds the product it is listed under; arm ids are free in the site. */
  @Override
  public void checkReferences(Handle h, BayV1 bay) {
    for (int i = 0; i < bay.arms().size(); i++) {
      BayV1.Arm arm = bay.arms().get(i);
      String field = "arms[" + i + "]";
      for (var e : arm.tankByProduct().entrySet()) {
        String holds = h.createQuery("SELECT product_code FROM tank WHERE site_code = :s AND id = :t")
            .bind("s", bay.siteCode()).bind("t", e.getValue()).mapTo(String.class).findOne().orElse(null);
        if (holds == null) {
          throw References.unknown(field + ".tankByProduct." + e.getKey(),
              "no tank " + e.getValue() + " at site " + bay.siteCode());
        }
        if (!holds.equals(e.getKey())) {
          throw References.unknown(field + ".tankByProduct." + e.getKey(),
              "tank " + e.getValue() + " holds " + holds + ", not " + e.getKey());
        }
      }
      String otherBay = h.createQuery("""
              SELECT b.id FROM bay b, jsonb_array_elements(b.arms) a
              WHERE b.site_code = :s AND b.id <> :bay AND a->>'id' = :arm LIMIT 1""")
          .bind("s", bay.siteCode()).bind("bay", bay.id()).bind("arm", arm.id())
          .mapTo(String.class).findOne().orElse(null);
      if (otherBay != null) {
        throw new ApiException(409, "ALREADY_EXISTS", field + ".id",
            "arm " + arm.id() + " already belongs to bay " + otherBay + " of this site");
      }
    }
  }

  @Override
  public boolean active(BayV1 r) {
    return r.active();
  }

  @Override
  public BayV1 deactivated(BayV1 r) {
    return new BayV1(r.id(), r.siteCode(), r.name(), false, r.arms());
  }

  @Override
  public String feedScope(BayV1 r) {
    return r.siteCode();
  }

  private String write(List<BayV1.Arm> arms) {
    try {
      return json.writeValueAsString(arms);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<BayV1.Arm> read(String text) {
    try {
      return json.readValue(text, ARMS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable arms in table bay", e);
    }
  }
}
