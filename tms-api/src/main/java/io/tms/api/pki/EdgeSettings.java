package io.tms.api.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the cloud serves the edge channel: the mTLS listener and its CA, and the dev-only plain-HTTP
 * edge routes on the admin port. Validated at start-up with errors that name the key.
 *
 * @param port the mTLS edge listener's port ({@code TMS_EDGE_PORT}, 0 = any free port)
 * @param plaintext also serve the edge routes without TLS on the admin port
 *     ({@code TMS_EDGE_PLAINTEXT}; dev, tests and benchmarks only)
 * @param caPassphrase the CA keystore's passphrase; {@code null} runs no CA and no mTLS listener
 * @param caKeystore a mounted PKCS#12 keystore holding the CA ({@code TMS_CA_KEYSTORE}); {@code null}
 *     keeps the CA encrypted in PostgreSQL (created by the first replica)
 * @param certLifetime lifetime of a site certificate ({@code TMS_CERT_LIFETIME}, default 30 days)
 * @param grace how long after expiry a certificate may still renew itself ({@code TMS_CERT_GRACE})
 * @param tokenTtl how long a bootstrap token is valid ({@code TMS_BOOTSTRAP_TOKEN_TTL}, default 24 h)
 * @param hostnames names and addresses put in the edge listener's server certificate
 *     ({@code TMS_EDGE_HOSTNAMES}, comma separated; {@code localhost} and {@code 127.0.0.1} always)
 */
public record EdgeSettings(
    String host,
    int port,
    boolean plaintext,
    char[] caPassphrase,
    Path caKeystore,
    Duration certLifetime,
    Duration grace,
    Duration tokenTtl,
    List<String> hostnames) {

  public static final int DEFAULT_PORT = 9443;

  public EdgeSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("edge.port must be 0-65535 (was " + port + ")");
    }
    if (certLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("cert.lifetime must be >= 1m (was " + certLifetime + ")");
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("cert.grace must be >= 0 (was " + grace + ")");
    }
    if (tokenTtl.compareTo(Duration.ofMinutes(1)) < 0 || tokenTtl.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("bootstrap-token.ttl must be 1m-30d (was " + tokenTtl + ")");
    }
    if (caPassphrase != null && caPassphrase.length < 12) {
      throw new IllegalArgumentException("TMS_CA_PASSPHRASE must have at least 12 characters");
    }
    hostnames = List.copyOf(hostnames);
  }

  /** No CA, no mTLS listener, no plain edge routes: the programmatic default (tests opt in). */
  public static EdgeSettings disabled() {
    return new EdgeSettings("0.0.0.0", DEFAULT_PORT, false, null, null, Duration.ofDays(30), Duration.ofDays(30),
        Duration.ofHours(24), List.of());
  }

  /** The edge routes in plain HTTP on the admin port, no CA (dev, tests, benchmarks only). */
  public static EdgeSettings plaintextOnly() {
    return disabled().withPlaintext(true);
  }

  /**
   * From {@code TMS_EDGE_*}, {@code TMS_CA_*}, {@code TMS_CERT_*}; without a CA passphrase the cloud
   * refuses to start unless {@code TMS_EDGE_PLAINTEXT=true}.
   */
  public static EdgeSettings fromEnvironment(Map<String, String> env, String host) {
    boolean plaintext = Boolean.parseBoolean(get(env, "TMS_EDGE_PLAINTEXT", "false"));
    char[] pass = passphrase(env);
    if (pass == null && !plaintext) {
      throw new IllegalArgumentException("TMS_CA_PASSPHRASE or TMS_CA_PASSPHRASE_FILE must be set: sites connect over "
          + "mTLS with certificates of the cloud's CA (TMS_EDGE_PLAINTEXT=true serves plain HTTP for dev/bench only)");
    }
    String ks = get(env, "TMS_CA_KEYSTORE", null);
    return new EdgeSettings(host, port(get(env, "TMS_EDGE_PORT", Integer.toString(DEFAULT_PORT))), plaintext, pass,
        ks == null ? null : Path.of(ks),
        duration("TMS_CERT_LIFETIME", get(env, "TMS_CERT_LIFETIME", "30d")),
        duration("TMS_CERT_GRACE", get(env, "TMS_CERT_GRACE", "30d")),
        duration("TMS_BOOTSTRAP_TOKEN_TTL", get(env, "TMS_BOOTSTRAP_TOKEN_TTL", "24h")),
        Arrays.stream(get(env, "TMS_EDGE_HOSTNAMES", "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  private static char[] passphrase(Map<String, String> env) {
    String direct = get(env, "TMS_CA_PASSPHRASE", null);
    if (direct != null) {
      return direct.toCharArray();
    }
    String file = get(env, "TMS_CA_PASSPHRASE_FILE", null);
    if (file == null) {
      return null;
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip().toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("TMS_CA_PASSPHRASE_FILE cannot be read (" + file + "): " + e.getMessage());
    }
  }

  private static int port(String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TMS_EDGE_PORT must be a port number (was " + v + ")");
    }
  }

  /** {@code 30d}, {@code 12h}, {@code 15m}, {@code 90s} or an ISO-8601 duration. */
  public static Duration duration(String key, String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return switch (s.charAt(s.length() - 1)) {
        case 'd' -> Duration.ofDays(n);
        case 'h' -> Duration.ofHours(n);
        case 'm' -> Duration.ofMinutes(n);
        case 's' -> Duration.ofSeconds(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(key + " must be a duration such as 30d, 12h or 15m (was " + v + ")");
    }
  }

  private static String get(Map<String, String> env, String key, String dflt) {
    String v = env.get(key);
    return v == null || v.isBlank() ? dflt : v;
  }

  public boolean pkiEnabled() {
    return caPassphrase != null;
  }

  public EdgeSettings withPlaintext(boolean on) {
    return new EdgeSettings(host, port, on, caPassphrase, caKeystore, certLifetime, grace, tokenTtl, hostnames);
  }

  /** Runs the CA and the mTLS listener on {@code host:port} with a passphrase. */
  public EdgeSettings withCa(String passphrase, String host, int port) {
    return new EdgeSettings(host, port, plaintext, passphrase.toCharArray(), caKeystore, certLifetime, grace, tokenTtl,
        hostnames);
  }

  public EdgeSettings withLifetimes(Duration lifetime, Duration grace) {
    return new EdgeSettings(host, port, plaintext, caPassphrase, caKeystore, lifetime, grace, tokenTtl, hostnames);
  }

  /** For the start-up log: never the passphrase. */
  public String describe() {
    return (pkiEnabled() ? "mTLS on " + host + ":" + port + " (lifetime " + certLifetime + ", grace " + grace + ")"
        : "no mTLS listener") + (plaintext ? ", PLAIN HTTP edge routes on the admin port (dev only)" : "");
  }

  @Override
  public String toString() {
    return describe();
  }
}
