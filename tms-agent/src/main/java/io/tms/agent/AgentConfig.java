package io.tms.agent;

import io.tms.domain.masterdata.Site;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's configuration, validated at start-up with errors that name the key. Built from
 * command-line options, which default to {@code TMS_*} environment variables.
 *
 * @param seed the built-in data set to load at start ({@code none}, {@code demo}, {@code small},
 *     {@code large}, {@code stress}); a seed never resets what the site has done
 * @param cloudUrl the cloud service's base URL ({@code http(s)://host:port}); {@code null} runs the
 *     site standalone (no sync); {@code https} means mTLS with the site's certificate
 * @param bootstrapToken the one-time token that enrolls the site with the cloud's CA (first start of
 *     an {@code https} site; {@code null} once enrolled). Never logged.
 */
public record AgentConfig(
    String siteCode,
    Path dataDir,
    String httpHost,
    int httpPort,
    String seed,
    int maxPinFailures,
    Duration authorizationTtl,
    int maxBodyBytes,
    int maxWriteBatch,
    URI cloudUrl,
    String bootstrapToken) {

  public static final int DEFAULT_PORT = 8080;

  /** Without a bootstrap token. */
  public AgentConfig(String siteCode, Path dataDir, String httpHost, int httpPort, String seed, int maxPinFailures,
      Duration authorizationTtl, int maxBodyBytes, int maxWriteBatch, URI cloudUrl) {
    this(siteCode, dataDir, httpHost, httpPort, seed, maxPinFailures, authorizationTtl, maxBodyBytes, maxWriteBatch,
        cloudUrl, null);
  }

  public AgentConfig {
    if (!Site.isValidCode(siteCode)) {
      throw new IllegalArgumentException(
          "site must be 2-10 upper-case letters or digits starting with a letter (was " + siteCode + ")");
    }
    Objects.requireNonNull(dataDir, "data must be set");
    Objects.requireNonNull(httpHost, "http.host must be set");
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http.port must be 0-65535 (was " + httpPort + ")");
    }
    if (maxPinFailures < 1) {
      throw new IllegalArgumentException("pin.max-failures must be >= 1 (was " + maxPinFailures + ")");
    }
    if (authorizationTtl == null || authorizationTtl.isNegative() || authorizationTtl.isZero()) {
      throw new IllegalArgumentException("authorization.ttl must be > 0 (was " + authorizationTtl + ")");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("http.max-body-bytes must be >= 1024 (was " + maxBodyBytes + ")");
    }
    if (cloudUrl != null && !("http".equals(cloudUrl.getScheme()) || "https".equals(cloudUrl.getScheme()))) {
      throw new IllegalArgumentException("cloud must be an http(s) URL (was " + cloudUrl + ")");
    }
    if (maxWriteBatch < 1) {
      throw new IllegalArgumentException("writer.max-batch must be >= 1 (was " + maxWriteBatch + ")");
    }
  }

  /** Defaults for everything but the site and its data directory. */
  public static AgentConfig of(String siteCode, Path dataDir) {
    return new AgentConfig(siteCode, dataDir, "0.0.0.0", DEFAULT_PORT, "none", 3, Duration.ofHours(4), 64 * 1024, 256, null);
  }

  public AgentConfig withHttp(String host, int port) {
    return new AgentConfig(siteCode, dataDir, host, port, seed, maxPinFailures, authorizationTtl, maxBodyBytes,
        maxWriteBatch, cloudUrl, bootstrapToken);
  }

  public AgentConfig withSeed(String seed) {
    return new AgentConfig(siteCode, dataDir, httpHost, httpPort, seed, maxPinFailures, authorizationTtl, maxBodyBytes,
        maxWriteBatch, cloudUrl, bootstrapToken);
  }

  /** Syncs with the cloud at {@code url} ({@code null}: standalone). */
  public AgentConfig withCloud(URI url) {
    return new AgentConfig(siteCode, dataDir, httpHost, httpPort, seed, maxPinFailures, authorizationTtl, maxBodyBytes,
        maxWriteBatch, url, bootstrapToken);
  }

  /** Enrolls with this one-time token on first start (an {@code https} cloud). */
  public AgentConfig withBootstrapToken(String token) {
    return new AgentConfig(siteCode, dataDir, httpHost, httpPort, seed, maxPinFailures, authorizationTtl, maxBodyBytes,
        maxWriteBatch, cloudUrl, token);
  }

  /** Whether the cloud link is mTLS (an {@code https} cloud URL). */
  public boolean mutualTls() {
    return cloudUrl != null && "https".equals(cloudUrl.getScheme());
  }

  /** The settings an operator sees in the status page and the start-up log. */
  public Map<String, Object> describe() {
    return Map.of(
        "cloud", cloudUrl == null ? "none (standalone)" : cloudUrl.toString(),
        "site", siteCode, "data", dataDir.toString(), "http", httpHost + ":" + httpPort, "seed", seed,
        "pinMaxFailures", maxPinFailures, "authorizationTtl", authorizationTtl.toString(),
        "maxBodyBytes", maxBodyBytes, "writerMaxBatch", maxWriteBatch);
  }

  /** Never shows the bootstrap token. */
  @Override
  public String toString() {
    return "AgentConfig" + describe();
  }
}
