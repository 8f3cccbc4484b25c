package io.tms.api.pki;

import io.tms.api.http.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The EST encodings (RFC 7030 §4): PKCS#10 requests in (base64 DER, as EST sends them; raw DER and
 * PEM are accepted too) and PKCS#7 certs-only answers out, base64. Stateless.
 */
public final class Pkcs {
  public static final String PKCS7 = "application/pkcs7-mime; smime-type=certs-only";
  private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII));

  private Pkcs() {}

  /** A degenerate SignedData holding {@code certs} (no signers, no content), base64 with line breaks. */
  public static byte[] certsOnly(List<X509Certificate> certs) {
    try {
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addCertificates(new JcaCertStore(certs));
      return MIME.encode(gen.generate(new CMSAbsentContent(), false).getEncoded());
    } catch (CMSException | CertificateEncodingException | IOException e) {
      throw new IllegalStateException("cannot encode PKCS#7", e);
    }
  }

  /**
   * Parses and checks a CSR: well formed, self-signed by its key (proof of possession), and a key
   * the sites may use (EC P-256/P-384, or RSA of at least 2048 bits). Else 400 naming {@code csr}.
   */
  public static PublicKey csrKey(byte[] body) {
    byte[] der = der(body);
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
        throw bad("the CSR's signature does not verify with its key");
      }
      PublicKey key = csr.getPublicKey();
      if (key instanceof ECPublicKey ec) {
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        if (bits != 256 && bits != 384) {
          throw bad("EC keys must be P-256 or P-384 (was " + bits + " bits)");
        }
      } else if (key instanceof RSAPublicKey rsa) {
        if (rsa.getModulus().bitLength() < 2048) {
          throw bad("RSA keys must have at least 2048 bits");
        }
      } else {
        throw bad("the key must be EC P-256 (or P-384, or RSA >= 2048)");
      }
      return key;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException a) {
        throw a;
      }
      throw bad("the body is not a PKCS#10 certification request");
    } catch (GeneralSecurityException | OperatorCreationException | PKCSException e) {
      throw bad("the CSR cannot be verified: " + e.getMessage());
    }
  }

  private static byte[] der(byte[] body) {
    if (body.length == 0) {
      throw bad("a PKCS#10 body is required");
    }
    if (body[0] == 0x30) {
      return body;
    }
    String text = new String(body, StandardCharsets.US_ASCII).replaceAll("-----[A-Z0-9 ]+-----", "");
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw bad("the body is neither base64 nor DER");
    }
  }

  private static ApiException bad(String detail) {
    return new ApiException(400, "INVALID_CSR", "csr", detail);
  }
}
