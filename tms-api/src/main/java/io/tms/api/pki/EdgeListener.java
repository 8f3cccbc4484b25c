package io.tms.api.pki;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.tms.api.http.CloudHttp;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The second listener, for the edge channel only: HTTPS with TLS 1.3 (1.2 only with ECDHE + AEAD
 * suites), the client certificate asked for on every handshake and checked per request by
 * {@link EdgeAuth}. Its server certificate is issued by the site CA at start-up for a key made
 * here (it never leaves the replica), naming {@code localhost}, {@code 127.0.0.1} and
 * {@code TMS_EDGE_HOSTNAMES}: an agent pins the CA, so it trusts any replica.
 */
final class EdgeListener {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  static final String[] SUITES = {
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"};
  /** Replicas restart (rolling deploys) far more often than this. */
  private static final Duration SERVER_CERT_LIFETIME = Duration.ofDays(397);

  private EdgeListener() {}

  static Javalin start(CloudHttp web, List<Consumer<RoutesConfig>> edgeParts, EdgeAuth auth, CertificateAuthority ca,
      EdgeSettings settings, Instant now) {
    SSLContext tls = serverContext(ca, settings.hostnames(), now);
    List<Consumer<RoutesConfig>> parts = new ArrayList<>();
    parts.add(r -> r.before(auth::before));
    parts.addAll(edgeParts);
    Consumer<JavalinConfig> connector = config -> config.jetty.addConnector((server, httpConfig) -> {
      HttpConfiguration https = new HttpConfiguration(httpConfig);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      https.addCustomizer(secure);
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(tls);
      ssl.setWantClientAuth(true);
      ssl.setIncludeProtocols(PROTOCOLS);
      ssl.setIncludeCipherSuites(SUITES);
      ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
          new HttpConnectionFactory(https));
      c.setHost(settings.host());
      c.setPort(settings.port());
      return c;
    });
    return web.create(() -> true, parts, connector).start();
  }

  private static SSLContext serverContext(CertificateAuthority ca, List<String> extraNames, Instant now) {
    try {
      KeyPair kp = CertificateAuthority.ecKey("secp256r1");
      LinkedHashSet<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
      names.addAll(extraNames);
      X509Certificate cert = ca.issueServer(kp.getPublic(), List.copyOf(names), now, SERVER_CERT_LIFETIME);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] none = new char[0];
      ks.setKeyEntry("edge", kp.getPrivate(), none, new Certificate[] {cert, ca.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, none);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), new TrustManager[] {new CaTrustManager(ca.certificate())}, null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up the edge listener's TLS", e);
    }
  }
}
