package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Terminal credentials: issued with a secret shown once, kept and sent down the feed only as a hash. */
class TerminalAdminTest {
  private Cloud cloud;
  private AdminClient admin;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    admin = new AdminClient(cloud);
    assertThat(admin.post("/v1/sites", "{\"code\":\"HOU1\",\"name\":\"Houston\",\"zone\":\"America/Chicago\"}").status())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private long changes() {
    return cloud.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM change_log").mapTo(Long.class)
        .one());
  }

  @Test
  void issuing_answers_the_secret_once_and_stores_and_feeds_only_its_hash() {
    var issued = admin.post("/v1/sites/HOU1/terminals", "{\"id\":\"KIOSK1\",\"name\":\"Gate kiosk\",\"kind\":\"KIOSK\"}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    String secret = issued.json().get("secret").asText();
    assertThat(secret).startsWith("tms_").hasSize(4 + 43); // 256 random bits, base64url
    assertThat(issued.json().has("secretSha256")).isFalse();

    var feed = admin.changesAfter(0);
    assertThat(feed).isNotEmpty();
    String record = feed.getLast().toString();
    assertThat(record).contains("\"entity\":\"terminal\"").contains("\"site\":\"HOU1\"")
        .contains(TerminalResource.sha256Hex(secret)).doesNotContain(secret);

    var listed = admin.get("/v1/sites/HOU1/terminals");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("items")).hasSize(1);
    assertThat(listed.body()).doesNotContain(secret).doesNotContain("secret");
    assertThat(admin.get("/v1/sites/HOU1/terminals/KIOSK1").json().get("active").asBoolean()).isTrue();

    var again = admin.post("/v1/sites/HOU1/terminals", "{\"id\":\"KIOSK2\",\"name\":\"Gate kiosk 2\",\"kind\":\"KIOSK\"}");
    assertThat(again.json().get("secret").asText()).isNotEqualTo(secret);

    // an import sends the hash of a secret the terminal already has: nothing secret is answered
    String hash = TerminalResource.sha256Hex("a-secret-the-kiosk-already-has");
    var imported = admin.post("/v1/sites/HOU1/terminals",
        "{\"id\":\"KIOSK3\",\"name\":\"Imported\",\"kind\":\"KIOSK\",\"secretSha256\":\"" + hash + "\"}");
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    assertThat(imported.json().has("secret")).isFalse();
    assertThat(admin.changesAfter(0).getLast().toString()).contains(hash);

    // a secret is unique within its site, not across the fleet (each agent holds only its own)
    var twice = admin.post("/v1/sites/HOU1/terminals",
        "{\"id\":\"KIOSK4\",\"name\":\"Same secret\",\"kind\":\"KIOSK\",\"secretSha256\":\"" + hash + "\"}");
    assertThat(twice.status()).as(twice.body()).isEqualTo(409);
    assertThat(admin.post("/v1/sites", "{\"code\":\"DAL1\",\"name\":\"Dallas\",\"zone\":\"America/Chicago\"}")
        .status()).isEqualTo(201);
    var elsewhere = admin.post("/v1/sites/DAL1/terminals",
        "{\"id\":\"KIOSK3\",\"name\":\"Imported\",\"kind\":\"KIOSK\",\"secretSha256\":\"" + hash + "\"}");
    assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(201);
  }

  @Test
  void rotation_and_deactivation_go_down_the_feed() {
    String first = admin.post("/v1/sites/HOU1/terminals", "{\"id\":\"BC1\",\"name\":\"Bay 1\",\"kind\":\"BAY_CONTROLLER\"}")
        .json().get("secret").asText();
    var rotated = admin.post("/v1/sites/HOU1/terminals/BC1/rotate", null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String second = rotated.json().get("secret").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(admin.changesAfter(0).getLast().toString()).contains(TerminalResource.sha256Hex(second));

    var off = admin.post("/v1/sites/HOU1/terminals/BC1/deactivate", null);
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.json().get("active").asBoolean()).isFalse();
    assertThat(off.body()).doesNotContain("secret");
    assertThat(admin.changesAfter(0).getLast().toString()).contains("\"active\":false");
    long before = changes();
    assertThat(admin.post("/v1/sites/HOU1/terminals/BC1/deactivate", null).status()).isEqualTo(200);
    assertThat(changes()).isEqualTo(before); // already inactive: nothing written
  }

  @Test
  void bad_requests_name_the_field_and_write_nothing() {
    long before = changes();
    record Case(String path, String body, int status, String field) {}
    for (Case c : List.of(
        new Case("/v1/sites/HOU1/terminals", "{\"id\":\"K 1\",\"name\":\"x\",\"kind\":\"KIOSK\"}", 400, "id"),
        new Case("/v1/sites/HOU1/terminals", "{\"id\":\"K1\",\"name\":\"x\",\"kind\":\"TOASTER\"}", 400, "kind"),
        new Case("/v1/sites/HOU1/terminals", "{\"id\":\"K1\",\"kind\":\"KIOSK\"}", 400, "name"),
        new Case("/v1/sites/HOU1/terminals", "{\"id\":\"K1\",\"name\":\"x\",\"kind\":\"KIOSK\",\"secret\":\"mine\"}", 400,
            "secret"),
        new Case("/v1/sites/HOU1/terminals", "{\"id\":\"K1\"", 400, null),
        new Case("/v1/sites/HOU1/terminals", "{\"id\":\"K1\",\"name\":\"x\",\"kind\":\"KIOSK\","
            + "\"secretSha256\":\"plaintext-secret\"}", 400, "secretSha256"),
        new Case("/v1/sites/NOPE1/terminals", "{\"id\":\"K1\",\"name\":\"x\",\"kind\":\"KIOSK\"}", 422, "siteCode"),
        new Case("/v1/sites/HOU1/terminals/NOPE/rotate", null, 404, null),
        new Case("/v1/sites/HOU1/terminals/NOPE/deactivate", null, 404, null))) {
      var r = admin.post(c.path(), c.body());
      assertThat(r.status()).as(c.toString() + " " + r.body()).isEqualTo(c.status());
      assertThat(r.contentType()).startsWith("application/problem+json");
      if (c.field() != null) {
        assertThat(r.field()).as(c.toString()).isEqualTo(c.field());
      }
    }
    assertThat(changes()).isEqualTo(before);
    assertThat(admin.post("/v1/sites/HOU1/terminals", "{\"id\":\"K1\",\"name\":\"x\",\"kind\":\"KIOSK\"}").status())
        .isEqualTo(201);
    var twice = admin.post("/v1/sites/HOU1/terminals", "{\"id\":\"K1\",\"name\":\"y\",\"kind\":\"KIOSK\"}");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.field()).isEqualTo("id");
    assertThat(admin.get("/v1/sites/HOU1/terminals/K9").status()).isEqualTo(404);
    assertThat(admin.get("/v1/sites/NOPE1/terminals").status()).isEqualTo(404);
  }
}
