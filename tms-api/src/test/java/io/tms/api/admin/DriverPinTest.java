package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import io.tms.domain.authorization.PinHash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A PIN goes in once and comes out nowhere: only its PBKDF2 hash is stored and sent down the feed. */
class DriverPinTest {
  private static final String PIN = "739146";
  private static final String NEW_PIN = "5208";

  private Cloud cloud;
  private AdminClient client;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    client = new AdminClient(cloud);
    client.post("/v1/carriers", "{\"id\": \"K1\", \"name\": \"Kwik\", \"insuranceExpires\": \"2027-06-30\"}");
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void onlyTheHashIsStoredAndNeitherPinNorHashIsAnswered() {
    List<Reply> replies = new ArrayList<>();
    replies.add(client.post("/v1/drivers", """
        {"id": "D1", "name": "Dee", "cardNumber": "CARD-1", "pin": "%s", "carrierIds": ["K1"]}""".formatted(PIN)));
    assertThat(replies.getLast().status()).isEqualTo(201);
    replies.add(client.get("/v1/drivers/D1"));
    replies.add(client.get("/v1/drivers"));
    String hash = storedHash();
    PinHash parsed = PinHash.parse(hash);
    assertThat(parsed.matches(PIN)).isTrue();
    assertThat(hash).startsWith("pbkdf2-sha256:120000:");

    // a replacement without a PIN keeps the hash
    replies.add(client.put("/v1/drivers/D1", """
        {"name": "Dee Two", "cardNumber": "CARD-1", "carrierIds": ["K1"]}""", "\"1\""));
    assertThat(replies.getLast().status()).isEqualTo(200);
    assertThat(storedHash()).isEqualTo(hash);

    // a new PIN replaces it, with a new salt
    replies.add(client.put("/v1/drivers/D1", """
        {"name": "Dee Two", "cardNumber": "CARD-1", "pin": "%s"}""".formatted(NEW_PIN), "\"2\""));
    assertThat(replies.getLast().status()).isEqualTo(200);
    String newHash = storedHash();
    assertThat(PinHash.parse(newHash).matches(NEW_PIN)).isTrue();
    assertThat(PinHash.parse(newHash).matches(PIN)).isFalse();
    replies.add(client.delete("/v1/drivers/D1", "\"3\""));
    replies.add(client.put("/v1/drivers/D1", "{\"name\": \"x\", \"cardNumber\": \"CARD-1\", \"pin\": \"1x2\"}", "\"4\""));
    assertThat(replies.getLast().status()).isEqualTo(400);

    for (Reply r : replies) {
      assertThat(r.body()).doesNotContain(PIN).doesNotContain(NEW_PIN).doesNotContain("pbkdf2").doesNotContain("pinHash")
          .doesNotContain("1x2");
    }

    List<JsonNode> changes = client.changesAfter(0).stream().filter(c -> c.get("entity").asText().equals("driver")).toList();
    assertThat(changes).hasSize(4);
    for (JsonNode c : changes) {
      assertThat(c.toString()).doesNotContain(PIN).doesNotContain(NEW_PIN);
      assertThat(c.at("/record/pinHash").asText()).startsWith("pbkdf2-sha256:120000:");
      assertThat(c.at("/record").has("pin")).isFalse();
    }
    assertThat(changes.getFirst().at("/record/pinHash").asText()).isEqualTo(hash);
    assertThat(changes.getLast().at("/record/pinHash").asText()).isEqualTo(newHash);
  }

  private String storedHash() {
    return cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT pin_hash FROM driver WHERE id = 'D1'").mapTo(String.class).one());
  }

  @Test
  void aHashFromAnotherSystemIsImportedAsItIsAndNeverAnswered() {
    String imported = PinHash.create("4711", "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1_000)
        .encoded();
    Reply created = client.post("/v1/drivers", """
        {"id": "D2", "name": "Imported", "cardNumber": "CARD-2", "pinHash": "%s", "carrierIds": ["K1"]}"""
        .formatted(imported));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("pbkdf2").doesNotContain("pinHash");
    String stored = cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT pin_hash FROM driver WHERE id = 'D2'").mapTo(String.class).one());
    assertThat(PinHash.parse(stored).matches("4711")).isTrue();

    Reply both = client.post("/v1/drivers", """
        {"id": "D3", "name": "Both", "cardNumber": "CARD-3", "pin": "1234", "pinHash": "%s"}""".formatted(imported));
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.json().get("field").asText()).isEqualTo("pinHash");
    for (String bad : List.of("plain", "pbkdf2-sha256:10:c2FsdHNhbHQ:aGFzaA",
        PinHash.create("4711", new byte[16], 999).encoded())) {
      Reply refused = client.post("/v1/drivers", """
          {"id": "D4", "name": "Bad", "cardNumber": "CARD-4", "pinHash": "%s"}""".formatted(bad));
      assertThat(refused.status()).as(bad).isEqualTo(400);
      assertThat(refused.json().get("field").asText()).isEqualTo("pinHash");
    }
    long drivers = cloud.database().jdbi().withHandle(h ->
        h.createQuery("SELECT count(*) FROM driver").mapTo(Long.class).one());
    assertThat(drivers).isEqualTo(1);
  }
}
