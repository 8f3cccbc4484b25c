package io.tms.api.pki;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.FeedNotifier;
import io.tms.api.http.CloudHttp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Site certificates, wired: the CA (shared by every replica), the bootstrap-token and revocation
 * admin routes, and the mTLS edge listener that serves the edge routes plus EST. Built by
 * {@link io.tms.api.Cloud} when a CA passphrase is configured.
 */
public final class Pki implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pki.class);

  private final EdgeSettings settings;
  private final Clock clock;
  private final CloudHttp web;
  private final CertificateAuthority ca;
  private final SiteCertificates store;
  private final RevokedSerials revoked;
  private Javalin listener;

  public Pki(Jdbi jdbi, FeedNotifier.Connector listenConnection, CloudHttp web, EdgeSettings settings, Clock clock,
      AuditLog audit) {
    this.settings = settings;
    this.clock = clock;
    this.web = web;
    this.ca = CaKeystore.load(jdbi, settings.caKeystore(), settings.caPassphrase(), clock.instant());
    this.store = new SiteCertificates(jdbi, audit);
    this.revoked = new RevokedSerials(store::revokedSerials, listenConnection);
  }

  /** The admin API's routes: bootstrap tokens, certificates, revocation. */
  public Consumer<RoutesConfig> adminRoutes() {
    return new PkiAdminRoutes(store, ca, revoked, clock, settings.tokenTtl());
  }

  /** Starts the mTLS listener serving {@code edgeRoutes} (only their {@code /edge/} paths answer) and EST. */
  public void listen(List<Consumer<RoutesConfig>> edgeRoutes) {
    List<Consumer<RoutesConfig>> parts = new ArrayList<>(edgeRoutes);
    parts.add(new EstRoutes(ca, store, web, clock, settings.certLifetime()));
    this.listener = EdgeListener.start(web, parts, new EdgeAuth(revoked, clock, settings.grace()), ca, settings,
        clock.instant());
    log.info("edge listener (mTLS) on port {}; CA {} fingerprint {}", listener.port(),
        ca.certificate().getSubjectX500Principal().getName(), ca.fingerprint());
  }

  public int port() {
    return listener == null ? -1 : listener.port();
  }

  public CertificateAuthority ca() {
    return ca;
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.stop();
    }
    revoked.close();
  }
}
