package io.tms.agent.identity;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which cloud the agent trusts: only servers whose certificate chains to the pinned cloud CA.
 * Before enrollment the CA is known only by the SHA-256 fingerprint the bootstrap token carries:
 * the server's chain must contain a certificate with that fingerprint which signed the leaf; after
 * enrollment the CA itself is the only trust anchor (PKIX). No system CA is ever trusted. A plain
 * {@link X509TrustManager} on purpose: the JDK then adds its host-name check on top. Thread-safe.
 */
public final class PinnedTrustManager implements X509TrustManager {
  private final AtomicReference<X509TrustManager> anchored = new AtomicReference<>();
  private volatile String pin;

  /** Trusts {@code ca} only. */
  public void anchor(X509Certificate ca) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("cloud-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          anchored.set(x);
          return;
        }
      }
      throw new IllegalStateException("no PKIX trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot pin the cloud CA", e);
    }
  }

  /** Before enrollment: trusts the CA with this fingerprint (SHA-256 of its DER, base64url). */
  public void pin(String fingerprint) {
    this.pin = fingerprint;
  }

  public boolean anchored() {
    return anchored.get() != null;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    X509TrustManager tm = anchored.get();
    if (tm != null) {
      tm.checkServerTrusted(chain, authType);
      return;
    }
    String expected = pin;
    if (expected == null || chain == null || chain.length == 0) {
      throw new CertificateException("no cloud CA pinned: enroll with a bootstrap token first");
    }
    for (X509Certificate c : chain) {
      if (expected.equals(fingerprint(c))) {
        try {
          chain[0].verify(c.getPublicKey());
          chain[0].checkValidity();
          return;
        } catch (GeneralSecurityException e) {
          throw new CertificateException("the cloud's certificate is not signed by the pinned CA", e);
        }
      }
    }
    throw new CertificateException("the cloud's certificate is not from the CA the bootstrap token pins");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the agent accepts no clients here");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    X509TrustManager tm = anchored.get();
    return tm == null ? new X509Certificate[0] : tm.getAcceptedIssuers();
  }

  static String fingerprint(X509Certificate c) throws CertificateException {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
