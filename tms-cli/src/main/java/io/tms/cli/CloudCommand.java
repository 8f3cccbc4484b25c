package io.tms.cli;

import io.tms.api.Cloud;
import io.tms.api.CloudConfig;
import io.tms.api.pki.EdgeSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tms cloud}: runs one replica of the cloud service until stopped. */
@Command(name = "cloud", mixinStandardHelpOptions = true,
    description = {"Run the cloud service (admin API, change feed, uplink, fleet) on PostgreSQL.",
        "Without --db-url it starts an embedded PostgreSQL (durability on) whose data lives in --data.",
        "Sites connect over mTLS on TMS_EDGE_PORT (9443) with certificates of the cloud's CA, whose",
        "keystore passphrase comes from TMS_CA_PASSPHRASE or TMS_CA_PASSPHRASE_FILE (see docs/pki.md)."})
final class CloudCommand implements Callable<Integer> {

  @Option(names = "--db-url", defaultValue = "${env:TMS_DB_URL}",
      description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/tms (env TMS_DB_URL). Default: embedded.")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "${env:TMS_DB_USER}", description = "Database user (env TMS_DB_USER).")
  String dbUser;

  @Option(names = "--db-password", defaultValue = "${env:TMS_DB_PASSWORD}",
      description = "Database password (env TMS_DB_PASSWORD; prefer the variable to the option).")
  String dbPassword;

  @Option(names = "--db-pool-size", defaultValue = "${env:TMS_DB_POOL_SIZE:-16}",
      description = "Connections of this replica (env TMS_DB_POOL_SIZE).")
  int dbPoolSize;

  @Option(names = "--data", defaultValue = "${env:TMS_DATA:-data/cloud}",
      description = "Directory of the embedded PostgreSQL cluster (env TMS_DATA).")
  Path data;

  @Option(names = "--host", defaultValue = "${env:TMS_HTTP_HOST:-0.0.0.0}", description = "Listen address (env TMS_HTTP_HOST).")
  String host;

  @Option(names = "--port", defaultValue = "${env:TMS_HTTP_PORT:-9090}",
      description = "HTTP port; 0 picks a free one (env TMS_HTTP_PORT).")
  int port;

  @Override
  public Integer call() throws Exception {
    CloudConfig defaults = CloudConfig.embedded(data);
    CloudConfig config = new CloudConfig(host, port, blankToNull(dbUrl), dbUser, dbPassword,
        blankToNull(dbUrl) == null ? data : null, dbPoolSize, defaults.maxBodyBytes(),
        EdgeSettings.fromEnvironment(System.getenv(), host));
    Cloud cloud = Cloud.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cloud.close();
      stopped.countDown();
    }, "cloud-shutdown"));
    String shown = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
    cloud.firstAdminToken().ifPresent(t -> System.out.println(
        "tms cloud: first start, admin API token (shown once, keep it secret): " + t));
    if (cloud.edgePort() > 0) {
      System.out.println("tms cloud: edge on https://" + shown + ":" + cloud.edgePort());
    }
    System.out.println("tms cloud: ready on http://" + shown + ":" + cloud.port());
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
