package io.tms.api;

import io.tms.api.pki.EdgeSettings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A plain entry point for one cloud replica, configured by environment variables only
 * ({@code TMS_DB_URL}, {@code TMS_DB_USER}, {@code TMS_DB_PASSWORD}, {@code TMS_DB_POOL_SIZE},
 * {@code TMS_DATA}, {@code TMS_HTTP_HOST}, {@code TMS_HTTP_PORT}, and the edge channel's
 * {@code TMS_EDGE_*}, {@code TMS_CA_*}, {@code TMS_CERT_*}, see {@link EdgeSettings}): what the container image runs,
 * and what multi-replica tests start as child processes. {@code tms cloud} is the same with options.
 * Prints {@code tms cloud: ready on http://HOST:PORT} once it serves (just after
 * {@code tms cloud: edge on https://HOST:PORT} when the mTLS listener runs).
 */
public final class CloudMain {
  private CloudMain() {}

  public static void main(String[] args) throws InterruptedException {
    String url = env("TMS_DB_URL", null);
    Path data = Path.of(env("TMS_DATA", "data/cloud"));
    CloudConfig defaults = CloudConfig.embedded(data);
    String host = env("TMS_HTTP_HOST", "0.0.0.0");
    CloudConfig config = new CloudConfig(host, Integer.parseInt(env("TMS_HTTP_PORT", "9090")), url,
        env("TMS_DB_USER", null), env("TMS_DB_PASSWORD", null), url == null ? data : null,
        Integer.parseInt(env("TMS_DB_POOL_SIZE", "16")), defaults.maxBodyBytes(),
        EdgeSettings.fromEnvironment(System.getenv(), host));
    Cloud cloud = Cloud.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cloud.close();
      stopped.countDown();
    }, "cloud-shutdown"));
    cloud.firstAdminToken().ifPresent(t -> System.out.println(
        "tms cloud: first start, admin API token (shown once, keep it secret): " + t));
    if (cloud.edgePort() > 0) {
      System.out.println("tms cloud: edge on https://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + cloud.edgePort());
    }
    System.out.println("tms cloud: ready on http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + cloud.port());
    System.out.flush();
    stopped.await();
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }
}
