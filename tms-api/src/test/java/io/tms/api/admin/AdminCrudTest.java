package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Create, read, replace and deactivate each entity over real HTTP; every write appends exactly one
 * change-log row holding the whole record the answer shows.
 */
class AdminCrudTest {
  private Cloud cloud;
  private AdminClient client;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    client = new AdminClient(cloud);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  /** Base data most entities refer to. */
  private void seed() {
    created(client.post("/v1/sites", """
        {"code": "HOU1", "name": "Houston", "zone": "America/Chicago"}"""));
    created(client.post("/v1/products", """
        {"code": "ULSD", "name": "Ultra-low sulfur diesel", "commodityGroup": "FUEL_OILS"}"""));
    created(client.post("/v1/products", """
        {"code": "RUG", "name": "Regular unleaded", "commodityGroup": "GASOLINES"}"""));
    created(client.post("/v1/customers", """
        {"id": "C1", "name": "Acme Fuels"}"""));
    created(client.post("/v1/carriers", """
        {"id": "K1", "name": "Kwik Haul", "insuranceExpires": "2027-06-30"}"""));
    created(client.post("/v1/carriers", """
        {"id": "K2", "name": "Long Road", "insuranceExpires": "2027-01-31"}"""));
  }

  private static Reply created(Reply r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r;
  }

  /**
   * The round trip every entity passes: POST, GET, PUT with If-Match, DELETE with If-Match, DELETE
   * again (nothing written), and the list; checks ETags and the change log after each write.
   */
  private JsonNode roundTrip(
      String collection, String key, String createBody, String replaceBody, String entity, String scope,
      String activeField) {
    long rev = client.feedRev();
    Reply made = client.post(collection, createBody);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.etag()).isEqualTo("\"1\"");
    assertThat(made.json().get("version").asLong()).isEqualTo(1);
    assertThat(made.contentType()).startsWith("application/json");
    assertOneChange(rev, entity, scope, made.json());

    Reply read = client.get(collection + "/" + key);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.etag()).isEqualTo("\"1\"");
    assertThat(read.json()).isEqualTo(made.json());

    rev = client.feedRev();
    Reply replaced = client.put(collection + "/" + key, replaceBody, "\"1\"");
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(replaced.etag()).isEqualTo("\"2\"");
    assertThat(replaced.json()).isNotEqualTo(made.json());
    assertOneChange(rev, entity, scope, replaced.json());
    assertThat(client.get(collection + "/" + key).json()).isEqualTo(replaced.json());

    rev = client.feedRev();
    Reply gone = client.delete(collection + "/" + key, "\"2\"");
    assertThat(gone.status()).as(gone.body()).isEqualTo(200);
    assertThat(gone.etag()).isEqualTo("\"3\"");
    assertThat(gone.json().get(activeField).asBoolean()).isFalse();
    ObjectNode expected = replaced.json().deepCopy();
    expected.put(activeField, false).put("version", 3);
    assertThat(gone.json()).isEqualTo(expected);
    assertOneChange(rev, entity, scope, gone.json());

    rev = client.feedRev();
    Reply again = client.delete(collection + "/" + key, "\"3\"");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.etag()).isEqualTo("\"3\"");
    assertThat(client.feedRev()).as("deactivating twice writes once").isEqualTo(rev);

    assertThat(client.all(collection, 50)).contains(gone.json());
    return replaced.json();
  }

  /** Exactly one change since {@code rev}, scoped as expected, holding what the answer shows. */
  private JsonNode assertOneChange(long rev, String entity, String scope, JsonNode answer) {
    List<JsonNode> changes = client.changesAfter(rev);
    assertThat(changes).hasSize(1);
    JsonNode change = changes.getFirst();
    assertThat(change.get("entity").asText()).isEqualTo(entity);
    assertThat(change.get("site").isNull() ? null : change.get("site").asText()).isEqualTo(scope);
    ObjectNode record = change.get("record").deepCopy();
    assertThat(record.remove("entity").asText()).isEqualTo(entity);
    record.remove("pinHash");
    ObjectNode shown = answer.deepCopy();
    shown.remove("version");
    assertThat(record).isEqualTo(shown);
    return change;
  }

  @Test
  void sites() {
    JsonNode site = roundTrip("/v1/sites", "DAL2",
        """
        {"code": "DAL2", "name": "Dallas", "zone": "America/Chicago"}""",
        """
        {"name": "Dallas North", "zone": "America/Denver"}""", "site", "DAL2", "active");
    assertThat(site.get("name").asText()).isEqualTo("Dallas North");
    assertThat(site.get("active").asBoolean()).isTrue();
  }

  @Test
  void products() {
    roundTrip("/v1/products", "JET-A",
        """
        {"code": "JET-A", "name": "Jet A", "commodityGroup": "JET_FUELS"}""",
        """
        {"code": "JET-A", "name": "Jet A-1", "commodityGroup": "AUTO", "active": true, "version": 1}""",
        "product", null, "active");
  }

  @Test
  void customersAndCarriers() {
    roundTrip("/v1/customers", "C9", """
        {"id": "C9", "name": "Nine"}""", """
        {"name": "Nine Ltd"}""", "customer", null, "active");
    JsonNode carrier = roundTrip("/v1/carriers", "K9", """
        {"id": "K9", "name": "Nine Haul", "insuranceExpires": "2027-03-31"}""", """
        {"name": "Nine Haul", "insuranceExpires": "2028-03-31"}""", "carrier", null, "active");
    assertThat(carrier.get("insuranceExpires").asText()).isEqualTo("2028-03-31");
  }

  @Test
  void tanksAndBaysAreScopedToTheirSite() {
    seed();
    roundTrip("/v1/sites/HOU1/tanks", "T1", """
        {"id": "T1", "productCode": "ULSD", "capacityGallons": 50000, "baseDensityKgM3": 850.0}""", """
        {"id": "T1", "siteCode": "HOU1", "productCode": "ULSD", "capacityGallons": 60000, "baseDensityKgM3": 845.5}""",
        "tank", "HOU1", "active");
    created(client.post("/v1/sites/HOU1/tanks", """
        {"id": "T2", "productCode": "RUG", "capacityGallons": 40000, "baseDensityKgM3": 740.0}"""));
    JsonNode bay = roundTrip("/v1/sites/HOU1/bays", "B1", """
        {"id": "B1", "name": "Bay 1", "arms": [{"id": "A1", "meterId": "M1", "tankByProduct": {"ULSD": "T1"}}]}""",
        """
        {"name": "Bay 1", "arms": [
          {"id": "A1", "meterId": "M1", "tankByProduct": {"ULSD": "T1"}},
          {"id": "A2", "meterId": "M2", "tankByProduct": {"RUG": "T2"}}]}""", "bay", "HOU1", "active");
    assertThat(bay.get("arms")).hasSize(2);
    assertThat(bay.at("/arms/1/tankByProduct/RUG").asText()).isEqualTo("T2");

    created(client.post("/v1/sites", """
        {"code": "DAL2", "name": "Dallas", "zone": "America/Chicago"}"""));
    assertThat(client.get("/v1/sites/DAL2/tanks/T1").status()).as("another site's tank").isEqualTo(404);
    assertThat(client.get("/v1/sites/DAL2/tanks").json().get("items")).isEmpty();
    assertThat(client.get("/v1/sites/NOPE/tanks").status()).isEqualTo(404);
  }

  @Test
  void vehicles() {
    seed();
    JsonNode vehicle = roundTrip("/v1/vehicles", "V1", """
        {"id": "V1", "carrierId": "K1", "inspectionExpires": "2027-01-01",
         "compartments": [{"number": 2, "capacityGallons": 3000}, {"number": 1, "capacityGallons": 2500}]}""", """
        {"carrierId": "K2", "inspectionExpires": "2027-02-01",
         "compartments": [{"number": 1, "capacityGallons": 2500}]}""", "vehicle", null, "active");
    assertThat(vehicle.get("carrierId").asText()).isEqualTo("K2");
    JsonNode first = client.changesAfter(0).stream()
        .filter(c -> c.get("entity").asText().equals("vehicle")).findFirst().orElseThrow();
    assertThat(first.at("/record/compartments/0/number").asInt()).as("compartments in number order").isEqualTo(1);
  }

  @Test
  void allocations() {
    seed();
    JsonNode allocation = roundTrip("/v1/allocations", "AL1", """
        {"id": "AL1", "customerId": "C1", "productCode": "ULSD", "periodStart": "2026-12-01",
         "periodEnd": "2026-12-31", "quantityGallons": 100000}""", """
        {"customerId": "C1", "productCode": "ULSD", "periodStart": "2026-12-01",
         "periodEnd": "2027-01-31", "quantityGallons": 150000}""", "allocation", null, "active");
    assertThat(allocation.get("quantityGallons").asLong()).isEqualTo(150000);
    long stored = cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT quantity_gal FROM allocation WHERE id = 'AL1'").mapTo(Long.class).one());
    assertThat(stored).as("the existing allocation table holds it").isEqualTo(150000);
  }

  @Test
  void drivers() {
    seed();
    JsonNode driver = roundTrip("/v1/drivers", "D1", """
        {"id": "D1", "name": "Dee River", "cardNumber": "CARD-0001", "pin": "482913",
         "carrierIds": ["K1"], "certifications": {"HAZMAT": "2027-05-31"}}""", """
        {"name": "Dee River", "cardNumber": "CARD-0001", "cardActive": true,
         "carrierIds": ["K2", "K1"], "certifications": {"HAZMAT": "2027-05-31", "TWIC": "2028-01-31"}}""",
        "driver", null, "cardActive");
    assertThat(driver.get("carrierIds")).hasSize(2);
    assertThat(driver.has("pin")).isFalse();
    assertThat(driver.has("pinHash")).isFalse();
  }

  @Test
  void liftingRightsAreGrantedAndWithdrawn() {
    seed();
    String path = "/v1/sites/HOU1/liftings/C1/ULSD";
    long rev = client.feedRev();
    Reply granted = client.put(path, null, null);
    assertThat(granted.status()).as(granted.body()).isEqualTo(201);
    assertThat(granted.etag()).isEqualTo("\"1\"");
    assertThat(granted.json().get("granted").asBoolean()).isTrue();
    assertOneChange(rev, "lifting", "HOU1", granted.json());
    assertThat(client.changesAfter(rev).getFirst().get("key").asText()).isEqualTo("HOU1/C1/ULSD");

    rev = client.feedRev();
    Reply again = client.put(path, null, null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(client.feedRev()).as("granting twice writes once").isEqualTo(rev);

    assertThat(client.delete(path, null).status()).isEqualTo(428);
    assertThat(client.delete(path, "\"7\"").status()).isEqualTo(412);
    Reply withdrawn = client.delete(path, "\"1\"");
    assertThat(withdrawn.status()).isEqualTo(200);
    assertThat(withdrawn.etag()).isEqualTo("\"2\"");
    assertThat(withdrawn.json().get("granted").asBoolean()).isFalse();
    assertOneChange(rev, "lifting", "HOU1", withdrawn.json());
    assertThat(client.get(path).json()).isEqualTo(withdrawn.json());

    assertThat(client.put(path, null, "\"1\"").status()).as("stale If-Match on a grant").isEqualTo(412);
    Reply regranted = client.put(path, null, "\"2\"");
    assertThat(regranted.status()).isEqualTo(200);
    assertThat(regranted.etag()).isEqualTo("\"3\"");
    assertThat(client.all("/v1/sites/HOU1/liftings", 10)).containsExactly(regranted.json());
  }

  @Test
  void creatingAnExistingKeyIsAConflictAndWritesNothing() {
    seed();
    long rev = client.feedRev();
    Reply dup = client.post("/v1/customers", """
        {"id": "C1", "name": "Someone else"}""");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.field()).isEqualTo("id");
    assertThat(client.post("/v1/sites", """
        {"code": "HOU1", "name": "Again", "zone": "America/Chicago"}""").field()).isEqualTo("code");
    created(client.post("/v1/sites/HOU1/tanks", """
        {"id": "T1", "productCode": "ULSD", "capacityGallons": 50000, "baseDensityKgM3": 850.0}"""));
    rev = client.feedRev();
    created(client.post("/v1/sites", """
        {"code": "DAL2", "name": "Dallas", "zone": "America/Chicago"}"""));
    Reply again = client.post("/v1/sites/HOU1/tanks", """
        {"id": "T1", "productCode": "ULSD", "capacityGallons": 40000, "baseDensityKgM3": 850.0}""");
    assertThat(again.status()).as("a tank id is unique within its site").isEqualTo(409);
    assertThat(again.field()).isEqualTo("id");
    assertThat(client.feedRev()).isEqualTo(rev + 1);
    assertThat(client.get("/v1/customers/C1").json().get("name").asText()).isEqualTo("Acme Fuels");
  }
}
