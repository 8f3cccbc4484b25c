package io.tms.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.api.Cloud;
import io.tms.api.TestDatabase;
import io.tms.api.admin.AdminClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency (If-Match) and the one-transaction rule: a record is written with its change or not at all. */
class AdminConcurrencyTest {
  private Cloud cloud;
  private AdminClient client;

  @BeforeEach
  void start() {
    cloud = Cloud.start(TestDatabase.freshCloudConfig());
    client = new AdminClient(cloud);
    assertThat(client.post("/v1/customers", "{\"id\": \"C1\", \"name\": \"Acme\"}").status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void writesWithoutIfMatchAre428AndWithAStaleOneAre412() {
    long rev = client.feedRev();
    Reply missing = client.put("/v1/customers/C1", "{\"name\": \"New\"}", null);
    assertThat(missing.status()).isEqualTo(428);
    assertThat(missing.field()).isEqualTo("If-Match");
    assertThat(client.delete("/v1/customers/C1", null).status()).isEqualTo(428);

    assertThat(client.put("/v1/customers/C1", "{\"name\": \"New\"}", "\"1\"").etag()).isEqualTo("\"2\"");
    rev = client.feedRev();
    Reply stale = client.put("/v1/customers/C1", "{\"name\": \"Newer\"}", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.etag()).as("the 412 tells the current ETag").isEqualTo("\"2\"");
    assertThat(stale.contentType()).startsWith("application/problem+json");
    assertThat(client.delete("/v1/customers/C1", "\"1\"").status()).isEqualTo(412);
    assertThat(client.delete("/v1/customers/C1", "W/\"2\"").status()).as("weak tags never match").isEqualTo(412);
    assertThat(client.feedRev()).isEqualTo(rev);
    assertThat(client.get("/v1/customers/C1").json().get("name").asText()).isEqualTo("New");

    assertThat(client.put("/v1/customers/C1", "{\"name\": \"Newest\"}", "\"5\", \"2\"").status())
        .as("any listed tag may match").isEqualTo(200);
  }

  @Test
  void ofTwoWritersWithTheSameIfMatchExactlyOneWins() throws Exception {
    int writers = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      for (int i = 0; i < writers; i++) {
        String body = "{\"name\": \"Writer " + i + "\"}";
        replies.add(pool.submit(() -> {
          go.await();
          return client.put("/v1/customers/C1", body, "\"1\"");
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Reply> f : replies) {
        statuses.add(f.get().status());
      }
      assertThat(statuses).containsOnly(200, 412);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
    }
    assertThat(client.get("/v1/customers/C1").etag()).isEqualTo("\"2\"");
    assertThat(client.changesAfter(0)).hasSize(2);
  }

  @Test
  void racingWritersOfOneCardNumberGetOneSuccessAndConflictsNamingIt() throws Exception {
    client.post("/v1/carriers", "{\"id\": \"K1\", \"name\": \"Kwik\", \"insuranceExpires\": \"2027-06-30\"}");
    List<Reply> creates = race(6, i -> client.post("/v1/drivers",
        "{\"id\": \"D" + i + "\", \"name\": \"x\", \"cardNumber\": \"CARD-7\", \"pin\": \"1234\"}"));
    assertOneWinner(creates, 201, "cardNumber");

    client.post("/v1/drivers", "{\"id\": \"E1\", \"name\": \"x\", \"cardNumber\": \"CARD-E1\", \"pin\": \"1234\"}");
    client.post("/v1/drivers", "{\"id\": \"E2\", \"name\": \"x\", \"cardNumber\": \"CARD-E2\", \"pin\": \"1234\"}");
    List<Reply> updates = race(2, i -> client.put("/v1/drivers/E" + (i + 1),
        "{\"name\": \"x\", \"cardNumber\": \"CARD-8\"}", "\"1\""));
    assertOneWinner(updates, 200, "cardNumber");

    List<Reply> sameId = race(6, i -> client.post("/v1/customers", "{\"id\": \"C2\", \"name\": \"n" + i + "\"}"));
    assertOneWinner(sameId, 201, "id");
    long drivers = client.changesAfter(0).stream().filter(c -> c.get("entity").asText().equals("driver")).count();
    assertThat(drivers).as("one change per successful write").isEqualTo(1 + 2 + 1);
  }

  private static void assertOneWinner(List<Reply> replies, int winner, String conflictField) {
    assertThat(replies.stream().filter(r -> r.status() == winner).count()).as(replies.toString()).isEqualTo(1);
    replies.stream().filter(r -> r.status() != winner).forEach(r -> {
      assertThat(r.status()).as(r.body()).isEqualTo(409);
      assertThat(r.field()).isEqualTo(conflictField);
    });
  }

  private static List<Reply> race(int writers, java.util.function.IntFunction<Reply> write) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Reply>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      for (int i = 0; i < writers; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          go.await();
          return write.apply(n);
        }));
      }
      go.countDown();
      List<Reply> replies = new ArrayList<>();
      for (Future<Reply> f : futures) {
        replies.add(f.get());
      }
      return replies;
    }
  }

  @Test
  void aWriteWhoseChangeCannotBeAppendedLeavesNoRow() {
    cloud.database().jdbi().useHandle(h -> h.execute("""
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'change log refused for this test'; END $$;
        CREATE TRIGGER refuse_change BEFORE INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
        """));
    long rev = client.feedRev();
    Reply r = client.post("/v1/products", "{\"code\": \"ULSD\", \"name\": \"Diesel\", \"commodityGroup\": \"FUEL_OILS\"}");
    assertThat(r.status()).isEqualTo(500);
    assertThat(client.count("product")).as("the row went with its change").isZero();
    Reply update = client.put("/v1/customers/C1", "{\"name\": \"Changed\"}", "\"1\"");
    assertThat(update.status()).isEqualTo(500);
    assertThat(client.get("/v1/customers/C1").json().get("name").asText()).isEqualTo("Acme");
    assertThat(client.feedRev()).isEqualTo(rev);
  }
}
