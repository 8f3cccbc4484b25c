package io.tms.api.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A site's side of the edge channel for tests: keys, CSRs, EST calls and mTLS clients. */
final class EdgeTls {
  private EdgeTls() {}

  static KeyPair p256() throws Exception {
    return CertificateAuthority.ecKey("secp256r1");
  }

  /** A PKCS#10 request, DER. */
  static byte[] csr(KeyPair kp, String cn) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
  }

  /** An HTTPS client trusting only {@code ca}, presenting {@code cert} (none when null). */
  static HttpClient client(X509Certificate ca, KeyPair key, X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(cert == null ? null : new KeyManager[] {new Presenting(key, cert)}, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Fetches {@code cacerts} trusting whatever the server shows (as an agent does on first contact)
   * and accepts the CA only if its SHA-256 is the pin the bootstrap token carries.
   */
  static X509Certificate cacertsPinned(URI edge, String token) throws Exception {
    javax.net.ssl.X509TrustManager any = new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {any}, null);
    HttpClient c = HttpClient.newBuilder().sslContext(ctx).build();
    X509Certificate ca = pkcs7(get(c, edge.resolve("/.well-known/est/cacerts")).body()).getFirst();
    String pin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        java.security.MessageDigest.getInstance("SHA-256").digest(ca.getEncoded()));
    if (!token.endsWith("." + pin)) {
      throw new IllegalStateException("cacerts is not the CA the token pins");
    }
    return ca;
  }

  /** The certificates of a base64 PKCS#7 answer. */
  static List<X509Certificate> pkcs7(byte[] base64) throws Exception {
    byte[] der = Base64.getMimeDecoder().decode(base64);
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der)).stream()
        .map(c -> (X509Certificate) c).toList();
  }

  static HttpResponse<byte[]> get(HttpClient c, URI uri) throws Exception {
    return c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** POSTs a CSR as EST sends it: base64 DER, application/pkcs10, with an optional Authorization. */
  static HttpResponse<byte[]> postCsr(HttpClient c, URI uri, byte[] csrDer, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/pkcs10").header("Content-Transfer-Encoding", "base64")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(csrDer)));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A self-made CA unrelated to the cloud's, and a certificate it gives {@code site}. */
  static X509Certificate foreignCertificate(KeyPair siteKey, String site) throws Exception {
    KeyPair caKey = p256();
    X500Name issuer = new X500Name("CN=Not the TMS CA");
    Instant now = Instant.now();
    return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(issuer, BigInteger.TWO,
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + site),
        siteKey.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
  }

  /** Presents its one certificate whatever CAs the server asks for (so a foreign one reaches the server). */
  private static final class Presenting extends X509ExtendedKeyManager {
    private final KeyPair key;
    private final X509Certificate cert;

    Presenting(KeyPair key, X509Certificate cert) {
      this.key = key;
      this.cert = cert;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "site";
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "site";
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"site"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {cert};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key.getPrivate();
    }
  }
}
