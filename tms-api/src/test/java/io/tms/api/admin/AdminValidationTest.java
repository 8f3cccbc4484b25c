package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is refused as problem+json naming the field — 400 when malformed, 422 when it refers to
 * something unknown, 409 when it clashes — and changes nothing: no row, no change-log entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminValidationTest {
  private static final List<String> TABLES = List.of(
      "site", "product", "tank", "bay", "customer", "carrier", "driver", "vehicle", "lifting", "allocation", "change_log");

  private Cloud cloud;
  private AdminClient client;

  @BeforeAll
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    client = new AdminClient(cloud);
    for (String[] seed : new String[][] {
        {"/v1/sites", "{\"code\": \"HOU1\", \"name\": \"Houston\", \"zone\": \"America/Chicago\"}"},
        {"/v1/products", "{\"code\": \"ULSD\", \"name\": \"Diesel\", \"commodityGroup\": \"FUEL_OILS\"}"},
        {"/v1/products", "{\"code\": \"RUG\", \"name\": \"Regular\", \"commodityGroup\": \"GASOLINES\"}"},
        {"/v1/customers", "{\"id\": \"C1\", \"name\": \"Acme\"}"},
        {"/v1/carriers", "{\"id\": \"K1\", \"name\": \"Kwik\", \"insuranceExpires\": \"2027-06-30\"}"},
        {"/v1/sites/HOU1/tanks", "{\"id\": \"T1\", \"productCode\": \"ULSD\", \"capacityGallons\": 5e4, \"baseDensityKgM3\": 850}"},
        {"/v1/sites/HOU1/bays", "{\"id\": \"B1\", \"name\": \"Bay 1\", \"arms\": [{\"id\": \"A1\", \"meterId\": \"M1\", \"tankByProduct\": {\"ULSD\": \"T1\"}}]}"},
        {"/v1/drivers", "{\"id\": \"D1\", \"name\": \"Dee\", \"cardNumber\": \"CARD1\", \"pin\": \"1234\"}"},
    }) {
      Reply r = client.post(seed[0], seed[1]);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
  }

  @AfterAll
  void stop() {
    cloud.close();
  }

  static Stream<Arguments> badCreates() {
    return Stream.of(
        // malformed: 400
        bad("/v1/sites", "{\"code\": \"hou2\", \"name\": \"x\", \"zone\": \"America/Chicago\"}", 400, "code"),
        bad("/v1/sites", "{\"code\": \"HOU2\", \"name\": \"x\", \"zone\": \"Mars/Olympus\"}", 400, "zone"),
        bad("/v1/sites", "{\"code\": \"HOU2\", \"name\": \" \", \"zone\": \"America/Chicago\"}", 400, "name"),
        bad("/v1/sites", "{\"code\": \"HOU2\", \"zone\": \"America/Chicago\"}", 400, "name"),
        bad("/v1/sites", "{\"code\": \"HOU2\", \"name\": \"x\", \"zone\": \"America/Chicago\", \"color\": 1}", 400, "color"),
        bad("/v1/sites", "{\"code\": 7, \"name\": \"x\", \"zone\": \"America/Chicago\"}", 400, "code"),
        bad("/v1/sites", "{\"code\": \"HOU2\"", 400, null),
        bad("/v1/products", "{\"code\": \"P/1\", \"name\": \"x\", \"commodityGroup\": \"AUTO\"}", 400, "code"),
        bad("/v1/products", "{\"code\": \"P1\", \"name\": \"x\", \"commodityGroup\": \"CRUDE\"}", 400, "commodityGroup"),
        bad("/v1/sites/HOU1/tanks", "{\"id\": \"T9\", \"productCode\": \"ULSD\", \"capacityGallons\": 0, \"baseDensityKgM3\": 850}", 400, "capacityGallons"),
        bad("/v1/sites/HOU1/tanks", "{\"id\": \"T9\", \"productCode\": \"ULSD\", \"capacityGallons\": 10, \"baseDensityKgM3\": 2000}", 400, "baseDensityKgM3"),
        bad("/v1/sites/HOU1/tanks", "{\"id\": \"T9\", \"siteCode\": \"DAL2\", \"productCode\": \"ULSD\", \"capacityGallons\": 10, \"baseDensityKgM3\": 850}", 400, "siteCode"),
        bad("/v1/sites/HOU1/bays", "{\"id\": \"B9\", \"name\": \"x\", \"arms\": [{\"id\": \"A8\", \"meterId\": \"M\", \"tankByProduct\": {\"ULSD\": \"T1\"}}, {\"id\": \"A8\", \"meterId\": \"M\", \"tankByProduct\": {\"ULSD\": \"T1\"}}]}", 400, "arms[1].id"),
        bad("/v1/sites/HOU1/bays", "{\"id\": \"B9\", \"name\": \"x\", \"arms\": [{\"id\": \"A8\", \"meterId\": \"M\", \"tankByProduct\": {}}]}", 400, "arms[0].tankByProduct"),
        bad("/v1/carriers", "{\"id\": \"K9\", \"name\": \"x\", \"insuranceExpires\": \"2027-02-30\"}", 400, "insuranceExpires"),
        bad("/v1/carriers", "{\"id\": \"K9\", \"name\": \"x\"}", 400, "insuranceExpires"),
        bad("/v1/drivers", "{\"id\": \"D9\", \"name\": \"x\", \"cardNumber\": \"CARD9\", \"pin\": \"12a4\"}", 400, "pin"),
        bad("/v1/drivers", "{\"id\": \"D9\", \"name\": \"x\", \"cardNumber\": \"CARD9\", \"pin\": \"123\"}", 400, "pin"),
        bad("/v1/drivers", "{\"id\": \"D9\", \"name\": \"x\", \"cardNumber\": \"CARD9\"}", 400, "pin"),
        bad("/v1/drivers", "{\"id\": \"D9\", \"name\": \"x\", \"cardNumber\": \"CARD9\", \"pin\": \"1234\", \"certifications\": {\"HAZMAT\": \"soon\"}}", 400, "certifications.HAZMAT"),
        bad("/v1/vehicles", "{\"id\": \"V9\", \"carrierId\": \"K1\", \"inspectionExpires\": \"2027-01-01\", \"compartments\": []}", 400, "compartments"),
        bad("/v1/vehicles", "{\"id\": \"V9\", \"carrierId\": \"K1\", \"inspectionExpires\": \"2027-01-01\", \"compartments\": [{\"number\": 1, \"capacityGallons\": 100}, {\"number\": 1, \"capacityGallons\": 200}]}", 400, "compartments[1].number"),
        bad("/v1/vehicles", "{\"id\": \"V9\", \"carrierId\": \"K1\", \"inspectionExpires\": \"2027-01-01\", \"compartments\": [{\"number\": 1, \"capacityGallons\": 0}]}", 400, "compartments[0].capacityGallons"),
        bad("/v1/vehicles", "{\"id\": \"V9\", \"carrierId\": \"K1\", \"inspectionExpires\": \"2027-01-01\", \"compartments\": [{\"number\": 0, \"capacityGallons\": 10}]}", 400, "compartments[0].number"),
        bad("/v1/allocations", "{\"id\": \"AL9\", \"customerId\": \"C1\", \"productCode\": \"ULSD\", \"periodStart\": \"2027-02-01\", \"periodEnd\": \"2027-01-01\", \"quantityGallons\": 5}", 400, "periodEnd"),
        bad("/v1/allocations", "{\"id\": \"AL9\", \"customerId\": \"C1\", \"productCode\": \"ULSD\", \"periodStart\": \"2027-01-01\", \"periodEnd\": \"2027-01-31\", \"quantityGallons\": -5}", 400, "quantityGallons"),
        bad("/v1/allocations", "{\"id\": \"AL9\", \"customerId\": \"C1\", \"productCode\": \"ULSD\", \"periodStart\": \"2027-01-01\", \"periodEnd\": \"2027-01-31\", \"quantityGallons\": 1.5}", 400, "quantityGallons"),
        // unknown references: 422
        bad("/v1/sites/HOU1/tanks", "{\"id\": \"T9\", \"productCode\": \"NOPE\", \"capacityGallons\": 10, \"baseDensityKgM3\": 850}", 422, "productCode"),
        bad("/v1/sites/NOPE/tanks", "{\"id\": \"T9\", \"productCode\": \"ULSD\", \"capacityGallons\": 10, \"baseDensityKgM3\": 850}", 422, "siteCode"),
        bad("/v1/sites/HOU1/bays", "{\"id\": \"B9\", \"name\": \"x\", \"arms\": [{\"id\": \"A9\", \"meterId\": \"M\", \"tankByProduct\": {\"ULSD\": \"T7\"}}]}", 422, "arms[0].tankByProduct.ULSD"),
        bad("/v1/sites/HOU1/bays", "{\"id\": \"B9\", \"name\": \"x\", \"arms\": [{\"id\": \"A9\", \"meterId\": \"M\", \"tankByProduct\": {\"RUG\": \"T1\"}}]}", 422, "arms[0].tankByProduct.RUG"),
        bad("/v1/vehicles", "{\"id\": \"V9\", \"carrierId\": \"K7\", \"inspectionExpires\": \"2027-01-01\", \"compartments\": [{\"number\": 1, \"capacityGallons\": 10}]}", 422, "carrierId"),
        bad("/v1/drivers", "{\"id\": \"D9\", \"name\": \"x\", \"cardNumber\": \"CARD9\", \"pin\": \"1234\", \"carrierIds\": [\"K1\", \"K7\"]}", 422, "carrierIds"),
        bad("/v1/allocations", "{\"id\": \"AL9\", \"customerId\": \"C7\", \"productCode\": \"ULSD\", \"periodStart\": \"2027-01-01\", \"periodEnd\": \"2027-01-31\", \"quantityGallons\": 5}", 422, "customerId"),
        bad("/v1/allocations", "{\"id\": \"AL9\", \"customerId\": \"C1\", \"productCode\": \"JET\", \"periodStart\": \"2027-01-01\", \"periodEnd\": \"2027-01-31\", \"quantityGallons\": 5}", 422, "productCode"),
        // clashes: 409
        bad("/v1/sites/HOU1/bays", "{\"id\": \"B9\", \"name\": \"x\", \"arms\": [{\"id\": \"A1\", \"meterId\": \"M\", \"tankByProduct\": {\"ULSD\": \"T1\"}}]}", 409, "arms[0].id"),
        bad("/v1/drivers", "{\"id\": \"D9\", \"name\": \"x\", \"cardNumber\": \"CARD1\", \"pin\": \"1234\"}", 409, "cardNumber"));
  }

  private static Arguments bad(String path, String body, int status, String field) {
    return Arguments.of(path, body, status, field);
  }

  @ParameterizedTest(name = "{0} {3} -> {2}")
  @MethodSource("badCreates")
  void badCreateIsRefusedNamingTheFieldAndWritesNothing(String path, String body, int status, String field) {
    Map<String, Long> before = counts();
    long rev = client.feedRev();
    Reply r = client.post(path, body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.field()).as(r.body()).isEqualTo(field);
    assertThat(counts()).isEqualTo(before);
    assertThat(client.feedRev()).isEqualTo(rev);
  }

  static Stream<Arguments> badWrites() {
    return Stream.of(
        Arguments.of("PUT", "/v1/customers/C1", "{\"id\": \"C2\", \"name\": \"x\"}", 400, "id"),
        Arguments.of("PUT", "/v1/sites/HOU1", "{\"name\": \"x\", \"zone\": \"UTC+1\"}", 400, "zone"),
        Arguments.of("PUT", "/v1/drivers/D1", "{\"name\": \"x\", \"cardNumber\": \"CARD1\", \"pin\": \"99\"}", 400, "pin"),
        Arguments.of("PUT", "/v1/sites/HOU1/tanks/T1", "{\"productCode\": \"NOPE\", \"capacityGallons\": 10, \"baseDensityKgM3\": 850}", 422, "productCode"),
        Arguments.of("PUT", "/v1/customers/C404", "{\"name\": \"x\"}", 404, null),
        Arguments.of("PUT", "/v1/sites/HOU1/liftings/C7/ULSD", null, 422, "customerId"),
        Arguments.of("PUT", "/v1/sites/HOU1/liftings/C1/JET", null, 422, "productCode"),
        Arguments.of("PUT", "/v1/sites/NOPE/liftings/C1/ULSD", null, 422, "siteCode"),
        Arguments.of("DELETE", "/v1/sites/HOU1/liftings/C1/ULSD", null, 404, null),
        Arguments.of("DELETE", "/v1/vehicles/V404", null, 404, null),
        Arguments.of("GET", "/v1/customers?limit=0", null, 400, "limit"),
        Arguments.of("GET", "/v1/customers?limit=501", null, 400, "limit"),
        Arguments.of("GET", "/v1/customers?limit=ten", null, 400, "limit"),
        Arguments.of("GET", "/v1/sites/HOU1/liftings?after=C1", null, 400, "after"));
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @MethodSource("badWrites")
  void badWriteIsRefusedAndWritesNothing(String method, String path, String body, int status, String field) {
    Map<String, Long> before = counts();
    long rev = client.feedRev();
    Reply r = client.send(method, path, body, "\"1\"");
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.field()).as(r.body()).isEqualTo(field);
    assertThat(counts()).isEqualTo(before);
    assertThat(client.feedRev()).isEqualTo(rev);
  }

  private Map<String, Long> counts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    TABLES.forEach(t -> counts.put(t, client.count(t)));
    // versions too: a refused PUT must not have bumped any row
    counts.put("versions", cloud.database().jdbi().withHandle(h -> h.createQuery("""
        SELECT (SELECT coalesce(sum(version), 0) FROM site) + (SELECT coalesce(sum(version), 0) FROM customer)
             + (SELECT coalesce(sum(version), 0) FROM tank) + (SELECT coalesce(sum(version), 0) FROM driver)""")
        .mapTo(Long.class).one()));
    return counts;
  }
}
