package io.tms.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cloud replica as a real child process ({@code io.tms.api.CloudMain} on this test's class path)
 * on a given database: for the tests that must show several replicas stay correct together.
 */
public final class ReplicaProcess implements AutoCloseable {
  private final Process process;
  private final URI base;
  private volatile URI edge;

  private ReplicaProcess(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /** Starts a replica and waits for its ready line. */
  public static ReplicaProcess start(String dbUrl, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.tms.api.CloudMain");
    pb.environment().put("TMS_DB_URL", dbUrl);
    pb.environment().put("TMS_DB_USER", "postgres");
    pb.environment().put("TMS_DB_POOL_SIZE", "4");
    pb.environment().put("TMS_HTTP_HOST", "127.0.0.1");
    pb.environment().put("TMS_HTTP_PORT", "0");
    pb.environment().put("TMS_EDGE_PLAINTEXT", "true"); // dev/test: edge routes on the admin port; env may override
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      CompletableFuture<String> edge = new CompletableFuture<>();
      ReplicaProcess r = new ReplicaProcess(p, URI.create(ready(p, edge)));
      r.edge = edge.isDone() ? URI.create(edge.get()) : null;
      return r;
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  public URI base() {
    return base;
  }

  /** The mTLS edge listener ({@code https://…}), or null when the replica runs none. */
  public URI edge() {
    return edge;
  }

  /** Reads the child's output until it prints its ready line; the rest is drained in the background. */
  private static String ready(Process p, CompletableFuture<String> edge) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread.ofVirtual().start(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          int at = line.indexOf("tms cloud: ready on ");
          int edgeAt = line.indexOf("tms cloud: edge on ");
          if (edgeAt >= 0) {
            edge.complete(line.substring(edgeAt + "tms cloud: edge on ".length()).trim()); // printed before ready
          } else if (at >= 0) {
            url.complete(line.substring(at + "tms cloud: ready on ".length()).trim());
          } else if (!url.isDone()) {
            synchronized (log) {
              log.append(line).append('\n');
            }
          }
        }
        url.completeExceptionally(new IllegalStateException("replica exited before it was ready:\n" + log));
      } catch (IOException e) {
        url.completeExceptionally(e);
      }
    });
    return url.get(90, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
