package io.tms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tms audit verify}: asks a cloud to recompute its audit log's hash chain
 * ({@code GET /v1/audit/verify}, permission AUDIT_READ) and prints the outcome; exit 1 when broken.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The cloud's audit log.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("tms audit: say what to do, e.g. tms audit verify --cloud http://127.0.0.1:9090");
    return 2;
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recompute the cloud's audit hash chain; print the first broken row (exit 1 if broken).")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--cloud", defaultValue = "${env:TMS_CLOUD_URL:-http://127.0.0.1:9090}",
        description = "The cloud's URL (env TMS_CLOUD_URL).")
    URI cloud;

    @Option(names = "--token", defaultValue = "${env:TMS_TOKEN}",
        description = "An API token with AUDIT_READ (env TMS_TOKEN).")
    String token;

    @Override
    public Integer call() throws Exception {
      if (token == null || token.isBlank()) {
        System.err.println("tms audit verify: --token (or TMS_TOKEN) is required");
        return 2;
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(cloud.resolve("/v1/audit/verify"))
          .header("Authorization", "Bearer " + token.strip()).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        System.err.println("tms audit verify: " + cloud + " answered " + r.statusCode() + ": " + r.body());
        return 2;
      }
      JsonNode v = new ObjectMapper().readTree(r.body());
      if (v.get("ok").asBoolean()) {
        System.out.printf("audit log ok: %d rows, head at seq %d%n", v.get("rows").asLong(), v.get("headSeq").asLong());
        return 0;
      }
      System.out.printf("audit log BROKEN at seq %d: %s (head at seq %d)%n", v.get("firstBrokenSeq").asLong(),
          v.get("reason").asText(), v.get("headSeq").asLong());
      return 1;
    }
  }
}
