package io.tms.agent.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The site's connection to the cloud: one HTTP client, the site's edge URLs, and the link state
 * the status page and the heartbeat report. Every sync loop reports each exchange here; the link is
 * ONLINE after a success and OFFLINE after a failure, so an operator sees at once that the site is
 * cut off (and keeps loading anyway).
 *
 * <p>A loop that backs off after a failure waits with {@link #awaitContact}: when any other loop
 * gets through (the link is back), every waiting loop wakes at once instead of sleeping out its
 * backoff, so a site's backlog starts to drain the moment the first exchange succeeds.
 */
public final class CloudLink {
  public enum State { STANDALONE, CONNECTING, ONLINE, OFFLINE }

  private final URI base;
  private final String siteCode;
  private final Clock clock;
  private final java.util.function.Supplier<javax.net.ssl.SSLContext> tls;
  private final java.util.concurrent.atomic.AtomicReference<HttpClient> http = new java.util.concurrent.atomic.AtomicReference<>();
  private volatile Instant certificateExpires;
  private volatile State state;
  private volatile Instant lastContact;
  private volatile Instant lastFailure;
  private volatile String lastError;
  private final java.util.concurrent.locks.ReentrantLock contactLock = new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.locks.Condition contact = contactLock.newCondition();
  private long contacts;
  private volatile java.util.function.Consumer<String> certificateRefusals = code -> { };
  private static final java.util.List<String> CERTIFICATE_REFUSALS = java.util.List.of("CERTIFICATE_REVOKED",
      "CERTIFICATE_EXPIRED", "CLIENT_CERTIFICATE_REQUIRED", "CERTIFICATE_NOT_YET_VALID");

  public CloudLink(URI base, String siteCode, Clock clock) {
    this(base, siteCode, clock, null);
  }

  /**
   * With {@code tls} (an https cloud): every exchange is mTLS with the site's certificate, whose
   * key manager swaps certificates in place (see {@code io.tms.agent.identity}); each new
   * connection pool takes the current context.
   */
  public CloudLink(URI base, String siteCode, Clock clock, java.util.function.Supplier<javax.net.ssl.SSLContext> tls) {
    this.base = base;
    this.siteCode = siteCode;
    this.clock = clock;
    this.tls = tls;
    this.state = base == null ? State.STANDALONE : State.CONNECTING;
    if (base != null) {
      http.set(newClient());
    }
  }

  private HttpClient newClient() {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(3))
        .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls.get());
    }
    return b.build();
  }

  /**
   * Starts a new connection pool (after a certificate swap: open TLS connections keep the
   * certificate they were made with); the old pool finishes its requests and then closes.
   */
  public void reconnect() {
    HttpClient old = http.getAndSet(newClient());
    if (old != null) {
      old.shutdown();
    }
  }

  /** When the site's certificate expires (null: none, or plain HTTP); reported in heartbeats. */
  public Instant certificateExpires() {
    return certificateExpires;
  }

  public void certificateExpires(Instant at) {
    this.certificateExpires = at;
  }

  /** The base URL of the cloud (null: standalone). */
  public URI base() {
    return base;
  }

  public boolean standalone() {
    return base == null;
  }

  public HttpClient http() {
    HttpClient c = http.get();
    if (c == null) {
      throw new IllegalStateException("site " + siteCode + " runs standalone: no cloud link");
    }
    return c;
  }

  /** {@code <cloud>/edge/v1/sites/<site>/<path>}, e.g. {@code uri("changes?after=12")}. */
  public URI uri(String path) {
    return base.resolve("/edge/v1/sites/" + siteCode + "/" + path);
  }

  public String siteCode() {
    return siteCode;
  }

  /** An exchange with the cloud succeeded. */
  public void succeeded() {
    lastContact = clock.instant();
    State before = state;
    state = State.ONLINE;
    if (before != State.ONLINE) {
      contactLock.lock();
      try {
        contacts++;
        contact.signalAll();
      } finally {
        contactLock.unlock();
      }
    }
  }

  /**
   * Waits up to {@code max}, or less if meanwhile an exchange of any loop brings the link back
   * (from not ONLINE to ONLINE). Returns true when woken by such a contact.
   */
  public boolean awaitContact(Duration max) throws InterruptedException {
    contactLock.lock();
    try {
      long seen = contacts;
      long nanos = max.toNanos();
      while (contacts == seen && nanos > 0) {
        nanos = contact.awaitNanos(nanos);
      }
      return contacts != seen;
    } finally {
      contactLock.unlock();
    }
  }

  /** Who hears that the cloud refused the site's certificate (the site's credentials). */
  public void onCertificateRefused(java.util.function.Consumer<String> listener) {
    this.certificateRefusals = listener;
  }

  /**
   * Whether an answer is the cloud refusing the site's certificate itself (revoked, expired, none):
   * then the link counts as down — nothing will get through until the site has a new certificate —
   * and the credentials hear of it at once, so they re-enroll with a new bootstrap token without
   * waiting for the renewal date. Every sync loop passes its 401 and 403 answers here.
   */
  public boolean certificateRefused(int status, byte[] body) {
    if (status != 401 && status != 403) {
      return false;
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    for (String code : CERTIFICATE_REFUSALS) {
      if (text.contains("\"" + code + "\"")) {
        failed("the cloud refused the site's certificate: " + code);
        certificateRefusals.accept(code);
        return true;
      }
    }
    return false;
  }

  /** An exchange failed because the link or the cloud is down (not because the cloud refused it). */
  public void failed(String why) {
    lastFailure = clock.instant();
    lastError = why;
    State before = state;
    state = State.OFFLINE;
    if (before != State.OFFLINE) {
      contactLock.lock();
      try {
        contact.signalAll();
      } finally {
        contactLock.unlock();
      }
    }
  }

  /**
   * Waits up to {@code max} until the link is in {@code wanted} (a status check, a test); returns
   * whether it is. Woken by every change between ONLINE and OFFLINE.
   */
  public boolean awaitState(State wanted, Duration max) throws InterruptedException {
    contactLock.lock();
    try {
      long nanos = max.toNanos();
      while (state != wanted && nanos > 0) {
        nanos = contact.awaitNanos(nanos);
      }
      return state == wanted;
    } finally {
      contactLock.unlock();
    }
  }

  public State state() {
    return state;
  }

  /** The last successful exchange, or null. */
  public Instant lastContact() {
    return lastContact;
  }

  /** For the status page. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state.name());
    m.put("cloud", base == null ? null : base.toString());
    m.put("lastContact", lastContact == null ? null : lastContact.toString());
    m.put("lastFailure", lastFailure == null ? null : lastFailure.toString());
    m.put("lastError", lastError);
    return m;
  }
}
