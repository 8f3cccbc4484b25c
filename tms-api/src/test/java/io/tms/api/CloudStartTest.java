package io.tms.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudStartTest {
  @TempDir Path dir;

  @Test
  void embeddedPostgresRunsWithDurabilityOnAndSurvivesARestart() throws Exception {
    CloudConfig config = CloudConfig.embedded(dir).withHttp("127.0.0.1", 0);
    try (Cloud cloud = Cloud.start(config)) {
      assertThat(cloud.database().settings("fsync", "synchronous_commit"))
          .containsEntry("fsync", "on")
          .containsEntry("synchronous_commit", "on");
      assertThat(cloud.database().settings("server_version").get("server_version")).startsWith("17.");
      // the production parameter group's buffers and checkpoints (deploy/terraform/modules/rds)
      assertThat(cloud.database().settings("shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_buffers"))
          .containsEntry("shared_buffers", "512MB").containsEntry("max_wal_size", "4GB")
          .containsEntry("checkpoint_timeout", "15min").containsEntry("wal_buffers", "64MB");
      cloud.database().jdbi().useHandle(h -> h.execute(
          "INSERT INTO site (code, name, zone) VALUES ('KEEP1', 'Kept', 'America/Chicago')"));
      HttpResponse<String> live = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + "/livez")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(ListenQueue.of(cloud.port())).as("the kernel's accept queue of the port (ss Send-Q)")
          .isEqualTo(io.tms.api.http.CloudHttp.ACCEPT_QUEUE);
      HttpResponse<String> missing = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cloud.port() + "/nope")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("application/problem+json"));
    }
    try (Cloud again = Cloud.start(config)) {
      String name = again.database().jdbi().withHandle(h ->
          h.createQuery("SELECT name FROM site WHERE code = 'KEEP1'").mapTo(String.class).one());
      assertThat(name).isEqualTo("Kept");
    }
  }

  @Test
  void startsOnADatabaseByUrlAndMigratesIt() {
    try (Cloud cloud = Cloud.start(TestDatabase.freshCloudConfig())) {
      long rev = cloud.database().jdbi().withHandle(h ->
          h.createQuery("SELECT rev FROM feed_head").mapTo(Long.class).one());
      assertThat(rev).isZero();
    }
  }
}
