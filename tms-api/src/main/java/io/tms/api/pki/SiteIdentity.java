package io.tms.api.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The site a client certificate speaks for: the SAN URI {@code urn:tms:site:CODE}, else the subject
 * CN. Never anything the request says about itself.
 */
public final class SiteIdentity {
  private SiteIdentity() {}

  /** The site code, or null when the certificate names none. */
  public static String of(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String uri
              && uri.startsWith(CertificateAuthority.SITE_URN)) {
            return uri.substring(CertificateAuthority.SITE_URN.length());
          }
        }
      }
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (CertificateParsingException | InvalidNameException e) {
      return null;
    }
  }
}
