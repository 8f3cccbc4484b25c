package io.tms.agent.identity;

import io.tms.agent.sync.CloudLink;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's certificate over its life: enrolls on first start with the bootstrap token (a fresh
 * EC P-256 key, a CSR, EST {@code simpleenroll}; the cloud CA pinned by the token's fingerprint),
 * renews at two thirds of the lifetime with a new key (EST {@code simplereenroll} with the current
 * certificate, also when it has expired within the cloud's grace period), and swaps the new
 * credential into the live TLS context: the next connection uses it, open ones finish, terminals
 * never notice. When the cloud refuses the certificate (revoked, or expired beyond grace) — on a
 * renewal, or on any sync call ({@link CloudLink#certificateRefused}) — the agent enrolls again at
 * once with a bootstrap token it has not spent yet: the token file {@code <data>/identity/bootstrap-token}
 * (an operator may write it while the agent runs; it is removed once used) or the configured one.
 * Without one it shows {@code NEEDS_BOOTSTRAP_TOKEN}, logs what to do, and looks for the file
 * every few seconds. One virtual thread; thread-safe.
 */
public final class SiteCredentials implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SiteCredentials.class);
  private static final Duration IDLE = Duration.ofHours(1);
  /** How often a site without a usable certificate looks for a new token file. */
  private static final Duration TOKEN_POLL = Duration.ofSeconds(5);
  public static final String TOKEN_FILE = "bootstrap-token";

  public enum State { NOT_ENROLLED, VALID, RENEWING, NEEDS_BOOTSTRAP_TOKEN }

  private final String site;
  private final String bootstrapToken;
  private final java.nio.file.Path tokenFile;
  /** Tokens used or refused (never tried twice); touched only by the loop thread. */
  private final java.util.Set<String> spent = new java.util.HashSet<>();
  private String attempted;
  private final Clock clock;
  private final IdentityFiles files;
  private final SwappingKeyManager keys = new SwappingKeyManager();
  private final PinnedTrustManager trust = new PinnedTrustManager();
  private volatile SSLContext tls;
  private final EstClient est;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean renewRequested;
  private long signals;
  private volatile boolean running = true;
  private volatile State state;
  private volatile String lastError;
  private volatile Instant lastRenewal;
  private volatile long renewals;
  private volatile CloudLink link;
  private Runnable onReady;
  private Thread thread;

  public SiteCredentials(String site, java.nio.file.Path dataDir, URI cloud, String bootstrapToken, Clock clock) {
    this.site = site;
    this.bootstrapToken = bootstrapToken == null || bootstrapToken.isBlank() ? null : bootstrapToken.trim();
    this.clock = clock;
    this.files = new IdentityFiles(dataDir);
    this.tokenFile = dataDir.resolve("identity").resolve(TOKEN_FILE);
    files.ca().ifPresent(trust::anchor);
    files.credential().ifPresent(keys::swap);
    if (!trust.anchored() && this.bootstrapToken != null) {
      int dot = this.bootstrapToken.lastIndexOf('.');
      if (dot < 1) {
        throw new IllegalArgumentException("bootstrap-token is malformed (expected SECRET.CA_FINGERPRINT)");
      }
      trust.pin(this.bootstrapToken.substring(dot + 1));
    }
    this.state = enrolled() ? State.VALID : State.NOT_ENROLLED;
    this.tls = newContext();
    this.est = new EstClient(cloud, () -> link.http());
  }

  /**
   * The TLS context every new agent→cloud connection pool uses. Its key manager follows renewals;
   * the context itself is replaced with each new credential too, because a TLS session resumed
   * from its cache would carry the identity of the certificate it was made with.
   */
  public SSLContext tls() {
    return tls;
  }

  private SSLContext newContext() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean enrolled() {
    return keys.current() != null && trust.anchored();
  }

  /** Starts the loop; {@code onReady} runs once the site has a certificate (at once when it has one). */
  public synchronized void start(CloudLink link, Runnable onReady) {
    this.link = link;
    this.onReady = onReady;
    link.onCertificateRefused(this::refusedByCloud);
    X509Certificate cert = certificate();
    link.certificateExpires(cert == null ? null : cert.getNotAfter().toInstant());
    if (enrolled()) {
      fireReady();
    } else if (bootstrapToken == null && !Files.exists(tokenFile)) {
      lastError = "no certificate: start the agent once with --bootstrap-token (issued by POST /v1/sites/" + site
          + "/bootstrap-tokens)";
      log.error("site={} {}", site, lastError);
    }
    thread = Thread.ofVirtual().name("credentials-" + site).start(this::loop);
  }

  /** Renews now instead of at two thirds of the lifetime (an operator's or a test's trigger). */
  public void renewNow() {
    lock.lock();
    try {
      renewRequested = true;
      signals++;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The cloud refused the certificate on a sync call: renew at once (which works while it is only
   * expired within grace), and when that is refused too, enroll with a new token.
   */
  private void refusedByCloud(String code) {
    lock.lock();
    try {
      if (state == State.VALID) {
        lastError = "the cloud refused the certificate: " + code;
        renewRequested = true;
      }
      signals++;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    Duration failureWait = Duration.ofSeconds(2);
    while (running) {
      Duration wait;
      try {
        wait = step();
        failureWait = Duration.ofSeconds(2);
      } catch (EstClient.Refused e) {
        wait = refused(e);
      } catch (IOException | RuntimeException e) {
        lastError = e.toString();
        log.warn("site={} certificate {} failed, retry in {}: {}", site, enrolled() ? "renewal" : "enrollment",
            failureWait, e.toString());
        wait = failureWait;
        failureWait = min(failureWait.multipliedBy(2), Duration.ofMinutes(5));
      } catch (InterruptedException e) {
        return;
      }
      if (!await(wait)) {
        return;
      }
    }
  }

  /** One look at the credential: enroll, renew, or nothing yet. Returns how long to wait. */
  private Duration step() throws IOException, InterruptedException {
    if (!enrolled() || state == State.NEEDS_BOOTSTRAP_TOKEN) {
      String token = freshToken();
      if (token == null) {
        return TOKEN_POLL;
      }
      enroll(token);
      fireReady();
    } else {
      boolean asked;
      lock.lock();
      try {
        asked = renewRequested;
      } finally {
        lock.unlock();
      }
      if (asked || !clock.instant().isBefore(renewAt(certificate()))) {
        renew();
      }
    }
    Duration left = Duration.between(clock.instant(), renewAt(certificate()));
    return left.isNegative() ? Duration.ZERO : min(left, IDLE);
  }

  /**
   * A renewal or an enrollment was refused: a token that was refused is spent; try the next unspent
   * token at once, else wait for one ({@code NEEDS_BOOTSTRAP_TOKEN}).
   */
  private Duration refused(EstClient.Refused e) {
    lastError = e.getMessage();
    if (attempted != null) {
      spent.add(attempted);
      attempted = null;
    }
    String token = freshToken();
    if (token != null) {
      log.warn("site={} {} refused ({}); enrolling again with a new bootstrap token", site,
          enrolled() ? "certificate" : "bootstrap token", e.getMessage());
      try {
        enroll(token);
        fireReady();
        return Duration.ZERO;
      } catch (EstClient.Refused again) {
        return refused(again);
      } catch (IOException | RuntimeException again) {
        lastError = again.toString();
        return TOKEN_POLL;
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return IDLE;
      }
    }
    if (state != State.NEEDS_BOOTSTRAP_TOKEN) {
      state = State.NEEDS_BOOTSTRAP_TOKEN;
      log.error("site={} CERTIFICATE REFUSED by the cloud ({}): the certificate is revoked or expired beyond the grace "
          + "period, or the bootstrap token is spent. Issue a new token (POST /v1/sites/{}/bootstrap-tokens) and write "
          + "it to {} (or restart the agent with --bootstrap-token): the agent enrolls with it at once. The site keeps "
          + "loading offline meanwhile.", site, lastError, site, tokenFile);
    }
    return TOKEN_POLL;
  }

  /**
   * The bootstrap token to enroll with now: the token file first (an operator's newest), then the
   * configured one; null when there is none that was not used or refused already.
   */
  private String freshToken() {
    try {
      if (Files.exists(tokenFile)) {
        String t = Files.readString(tokenFile, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!t.isEmpty() && !spent.contains(t)) {
          if (t.lastIndexOf('.') < 1) {
            spent.add(t);
            lastError = tokenFile + " is malformed (expected SECRET.CA_FINGERPRINT)";
            log.error("site={} {}", site, lastError);
          } else {
            return t;
          }
        }
      }
    } catch (IOException e) {
      log.warn("site={} cannot read {}: {}", site, tokenFile, e.toString());
    }
    return bootstrapToken == null || spent.contains(bootstrapToken) ? null : bootstrapToken;
  }

  private void enroll(String token) throws IOException, InterruptedException {
    attempted = token;
    if (!trust.anchored()) {
      trust.pin(token.substring(token.lastIndexOf('.') + 1));
    }
    X509Certificate ca = null;
    for (X509Certificate c : est.cacerts()) {
      if (token.endsWith("." + fingerprint(c))) {
        ca = c;
      }
    }
    if (ca == null) {
      throw new IOException("the cloud's cacerts does not hold the CA the bootstrap token pins");
    }
    KeyPair kp = newKey();
    X509Certificate cert = est.enroll(csr(kp), token);
    spent.add(token);
    attempted = null;
    SwappingKeyManager.Credential c = checked(kp, cert, ca);
    files.saveCa(ca);
    files.saveCredential(c);
    trust.anchor(ca);
    try {
      if (Files.exists(tokenFile) && Files.readString(tokenFile, java.nio.charset.StandardCharsets.UTF_8).strip()
          .equals(token)) {
        Files.delete(tokenFile); // spent: nothing secret left lying around
      }
    } catch (IOException e) {
      log.warn("site={} cannot remove the spent token file {}: {}", site, tokenFile, e.toString());
    }
    install(c);
    log.info("site={} enrolled: certificate {} until {}, cloud CA {} pinned", site, cert.getSerialNumber().toString(16),
        cert.getNotAfter().toInstant(), ca.getSubjectX500Principal().getName());
  }

  private void renew() throws IOException, InterruptedException {
    state = State.RENEWING;
    X509Certificate old = certificate();
    KeyPair kp = newKey();
    X509Certificate cert = est.reenroll(csr(kp));
    SwappingKeyManager.Credential c = checked(kp, cert, trust.getAcceptedIssuers()[0]);
    files.saveCredential(c);
    install(c);
    lastRenewal = clock.instant();
    renewals++;
    log.info("site={} certificate renewed: {} (until {}) replaces {} (until {})", site,
        cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant(), old.getSerialNumber().toString(16),
        old.getNotAfter().toInstant());
  }

  /** Swaps the credential in; new connections present it, open ones finish with the old one. */
  private void install(SwappingKeyManager.Credential c) {
    lock.lock();
    try {
      renewRequested = false;
    } finally {
      lock.unlock();
    }
    keys.swap(c);
    state = State.VALID;
    lastError = null;
    link.certificateExpires(c.chain()[0].getNotAfter().toInstant());
    tls = newContext();
    link.reconnect();
  }

  private SwappingKeyManager.Credential checked(KeyPair kp, X509Certificate cert, X509Certificate ca) throws IOException {
    try {
      cert.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IOException("the issued certificate is not signed by the pinned CA", e);
    }
    if (!cert.getPublicKey().equals(kp.getPublic())) {
      throw new IOException("the issued certificate is not for this site's key");
    }
    return new SwappingKeyManager.Credential(kp.getPrivate(), new X509Certificate[] {cert});
  }

  private synchronized void fireReady() {
    Runnable r = onReady;
    onReady = null;
    if (r != null) {
      r.run();
    }
  }

  private boolean await(Duration d) {
    lock.lock();
    try {
      long nanos = d.toNanos();
      long seen = signals;
      while (running && signals == seen && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      return running;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Two thirds into the certificate's lifetime. */
  static Instant renewAt(X509Certificate c) {
    Instant from = c.getNotBefore().toInstant();
    Duration life = Duration.between(from, c.getNotAfter().toInstant());
    return from.plus(life.multipliedBy(2).dividedBy(3));
  }

  public X509Certificate certificate() {
    SwappingKeyManager.Credential c = keys.current();
    return c == null ? null : c.chain()[0];
  }

  public State state() {
    return state;
  }

  public long renewals() {
    return renewals;
  }

  /** For the status page. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    X509Certificate c = certificate();
    m.put("state", state.name());
    m.put("serial", c == null ? null : c.getSerialNumber().toString(16));
    m.put("notAfter", c == null ? null : c.getNotAfter().toInstant().toString());
    m.put("renewAt", c == null ? null : renewAt(c).toString());
    m.put("expired", c != null && clock.instant().isAfter(c.getNotAfter().toInstant()));
    m.put("lastRenewal", lastRenewal == null ? null : lastRenewal.toString());
    m.put("lastError", lastError);
    return m;
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] csr(KeyPair kp) throws IOException {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + site), kp.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
    } catch (OperatorCreationException e) {
      throw new IOException("cannot sign the CSR", e);
    }
  }

  private static String fingerprint(X509Certificate c) throws IOException {
    try {
      return PinnedTrustManager.fingerprint(c);
    } catch (CertificateException e) {
      throw new IOException(e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
