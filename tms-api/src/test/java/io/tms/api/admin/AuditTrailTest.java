package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.api.Cloud;
import io.tms.api.TestAuth;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import io.tms.api.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log over real HTTP and a real PostgreSQL: every admin change leaves one row (who, what,
 * before/after, when, from where) in its own transaction, refused changes leave none, the database
 * refuses to change a row, and verification finds a row edited or removed behind the triggers.
 */
class AuditTrailTest {
  private Cloud cloud;
  private AdminClient admin;
  private Jdbi jdbi;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    admin = new AdminClient(cloud);
    jdbi = cloud.database().jdbi();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void every_change_through_the_admin_api_is_recorded_with_who_what_before_after_and_where() {
    String dispatcher = TestAuth.token(cloud, "dana", List.of(Role.DISPATCHER), List.of());
    AdminClient dana = new AdminClient(cloud, dispatcher);
    assertThat(dana.post("/v1/products", "{\"code\": \"ULSD\", \"name\": \"Diesel\", \"commodityGroup\": \"FUEL_OILS\"}")
        .status()).isEqualTo(201);
    assertThat(dana.put("/v1/products/ULSD", "{\"name\": \"Ultra-low sulfur diesel\", \"commodityGroup\": \"FUEL_OILS\"}",
        "\"1\"").status()).isEqualTo(200);
    assertThat(dana.delete("/v1/products/ULSD", "\"2\"").status()).isEqualTo(200);
    assertThat(dana.post("/v1/carriers", "{\"id\": \"K1\", \"name\": \"Kwik\", \"insuranceExpires\": \"2027-06-30\"}")
        .status()).isEqualTo(201);
    assertThat(dana.post("/v1/drivers", "{\"id\": \"D1\", \"name\": \"Ann\", \"cardNumber\": \"CARD-1\", \"pin\": \"4821\","
        + " \"carrierIds\": [\"K1\"]}").status()).isEqualTo(201);

    JsonNode page = admin.get("/v1/audit?entity=product").json();
    List<JsonNode> rows = new ArrayList<>();
    page.get("items").forEach(rows::add);
    assertThat(rows).extracting(r -> r.get("action").asText()).containsExactly("create", "update", "deactivate");
    JsonNode update = rows.get(1);
    assertThat(update.get("actor").asText()).isEqualTo("dana");
    assertThat(update.get("roles").asText()).isEqualTo("DISPATCHER");
    assertThat(update.get("remote").asText()).isEqualTo("127.0.0.1");
    assertThat(update.get("key").asText()).isEqualTo("ULSD");
    assertThat(update.get("before").get("name").asText()).isEqualTo("Diesel");
    assertThat(update.get("after").get("name").asText()).isEqualTo("Ultra-low sulfur diesel");
    assertThat(update.get("after").get("version").asLong()).isEqualTo(2);
    assertThat(rows.get(0).get("before").isNull()).isTrue();
    assertThat(rows.get(2).get("after").get("active").asBoolean()).isFalse();

    JsonNode driver = admin.get("/v1/audit?entity=driver&key=D1").json().get("items").get(0);
    assertThat(driver.get("after").has("pinHash")).as("hashes of PINs stay out of the audit log").isFalse();
    assertThat(driver.toString()).doesNotContain("4821");

    // users and tokens are audited too, and a token's secret never is
    Reply token = admin.post("/v1/users/dana/tokens", "{\"name\": \"laptop\", \"ttl\": \"7d\"}");
    assertThat(token.status()).isEqualTo(201);
    String secret = token.json().get("token").asText();
    JsonNode issued = admin.get("/v1/audit?entity=api_token&action=issue&actor=admin").json().get("items");
    assertThat(issued.toString()).contains("dana/" + token.json().get("id").asText()).doesNotContain(secret);

    assertThat(admin.get("/v1/audit?limit=2").json().get("next").asText()).isNotEmpty();
    assertThat(admin.get("/v1/audit?from=yesterday").status()).isEqualTo(400);
    assertThat(admin.get("/v1/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void refused_and_rolled_back_changes_leave_no_row() {
    admin.post("/v1/customers", "{\"id\": \"C1\", \"name\": \"Acme\"}");
    long before = auditRows();
    assertThat(admin.post("/v1/customers", "{\"id\": \"C1\", \"name\": \"Again\"}").status()).isEqualTo(409);
    assertThat(admin.post("/v1/customers", "{\"id\": 7}").status()).isEqualTo(400);
    assertThat(admin.put("/v1/customers/C1", "{\"name\": \"Stale\"}", "\"9\"").status()).isEqualTo(412);
    assertThat(new AdminClient(cloud, TestAuth.token(cloud, "vic", List.of(Role.VIEWER), List.of()))
        .post("/v1/customers", "{\"id\": \"C2\", \"name\": \"Nope\"}").status()).isEqualTo(403);
    assertThat(auditRows()).isEqualTo(before);
    assertThat(admin.get("/v1/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void the_database_refuses_to_update_delete_or_truncate_audit_rows() {
    admin.post("/v1/customers", "{\"id\": \"C1\", \"name\": \"Acme\"}");
    for (String sql : List.of("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log")) {
      assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql))).as(sql).hasMessageContaining("append-only");
    }
    assertThat(admin.get("/v1/audit/verify").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void verification_names_the_first_row_edited_behind_the_trigger() {
    for (int i = 1; i <= 5; i++) {
      admin.post("/v1/customers", "{\"id\": \"C" + i + "\", \"name\": \"Customer " + i + "\"}");
    }
    JsonNode ok = admin.get("/v1/audit/verify").json();
    assertThat(ok.get("ok").asBoolean()).isTrue();
    long c3 = admin.get("/v1/audit?entity=customer&key=C3").json().get("items").get(0).get("seq").asLong();
    // a superuser disables the trigger and rewrites history
    jdbi.useTransaction(h -> {
      h.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
      h.execute("UPDATE audit_log SET after = replace(after, 'Customer 3', 'Customer X') WHERE seq = ?", c3);
      h.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    });
    JsonNode broken = admin.get("/v1/audit/verify").json();
    assertThat(broken.get("ok").asBoolean()).isFalse();
    assertThat(broken.get("firstBrokenSeq").asLong()).isEqualTo(c3);
    assertThat(broken.get("reason").asText()).contains("hash");
  }

  @Test
  void verification_notices_a_removed_row_and_a_cut_tail() {
    for (int i = 1; i <= 4; i++) {
      admin.post("/v1/customers", "{\"id\": \"C" + i + "\", \"name\": \"Customer " + i + "\"}");
    }
    long last = jdbi.withHandle(h -> h.createQuery("SELECT max(seq) FROM audit_log").mapTo(Long.class).one());
    jdbi.useTransaction(h -> {
      h.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
      h.execute("DELETE FROM audit_log WHERE seq = ?", last);
      h.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    });
    JsonNode cut = admin.get("/v1/audit/verify").json();
    assertThat(cut.get("ok").asBoolean()).isFalse();
    assertThat(cut.get("firstBrokenSeq").asLong()).isEqualTo(last);
    jdbi.useTransaction(h -> {
      h.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
      h.execute("DELETE FROM audit_log WHERE seq = ?", last - 2);
      h.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    });
    JsonNode gap = admin.get("/v1/audit/verify").json();
    assertThat(gap.get("firstBrokenSeq").asLong()).isEqualTo(last - 2);
    assertThat(gap.get("reason").asText()).contains("missing");
  }

  @Test
  void concurrent_writers_leave_one_unbroken_gap_free_chain() throws Exception {
    int writers = 8;
    int each = 5;
    CountDownLatch go = new CountDownLatch(1);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      tasks.add(() -> {
        go.await();
        int ok = 0;
        for (int i = 0; i < each; i++) {
          ok += admin.post("/v1/customers", "{\"id\": \"W" + id + "-" + i + "\", \"name\": \"n\"}").status() == 201 ? 1 : 0;
        }
        return ok;
      });
    }
    long before = auditRows();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<Integer>> results = new ArrayList<>();
      tasks.forEach(t -> results.add(pool.submit(t)));
      go.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(each);
      }
    }
    assertThat(auditRows()).isEqualTo(before + writers * each);
    JsonNode v = admin.get("/v1/audit/verify").json();
    assertThat(v.get("ok").asBoolean()).isTrue();
    assertThat(v.get("rows").asLong()).isEqualTo(v.get("headSeq").asLong()).isEqualTo(auditRows());
  }

  private long auditRows() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());
  }
}
