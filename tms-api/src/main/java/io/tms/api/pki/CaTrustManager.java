package io.tms.api.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * The edge listener's check of a client certificate during the handshake: it must be signed by the
 * site CA. Validity dates are NOT checked here but per request by {@link EdgeAuth} (against the
 * cloud's clock), because an expired certificate may still renew itself within the grace period;
 * revocation is checked there too, so it takes effect on open connections. A certificate of any
 * other CA fails the handshake. Thread-safe (immutable).
 */
final class CaTrustManager implements X509TrustManager {
  private final X509Certificate ca;

  CaTrustManager(X509Certificate ca) {
    this.ca = ca;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no client certificate");
    }
    X509Certificate leaf = chain[0];
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new CertificateException("client certificate not issued by the site CA");
    }
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("client certificate not signed by the site CA", e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the edge listener trusts no servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {ca};
  }
}
