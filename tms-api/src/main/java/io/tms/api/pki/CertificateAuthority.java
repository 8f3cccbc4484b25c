package io.tms.api.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cloud's certificate authority: one EC P-384 key whose certificate signs every site
 * certificate (client auth, identity in the SAN {@code urn:tms:site:CODE} and the CN) and each
 * replica's edge server certificate. The key lives only in memory once loaded from its encrypted
 * keystore ({@link CaKeystore}). Thread-safe (immutable; signing is stateless).
 */
public final class CertificateAuthority {
  static final String ALIAS = "tms-ca";
  public static final String SITE_URN = "urn:tms:site:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey key;
  private final X509Certificate cert;

  CertificateAuthority(PrivateKey key, X509Certificate cert) {
    this.key = key;
    this.cert = cert;
  }

  /** A new CA with a fresh key, valid for 20 years from {@code now}. */
  static CertificateAuthority create(Instant now) {
    try {
      KeyPair kp = ecKey("secp384r1");
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "TMS")
          .addRDN(BCStyle.CN, "TMS Site CA " + now.getEpochSecond()).build();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(300)),
          Date.from(now.plus(Duration.ofDays(20 * 365))), name, kp.getPublic());
      JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
      return new CertificateAuthority(kp.getPrivate(), sign(b, kp.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the CA", e);
    }
  }

  /** A site's client certificate for {@code publicKey}. */
  public X509Certificate issueSite(String site, PublicKey publicKey, Instant now, Duration lifetime) {
    try {
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "TMS sites").addRDN(BCStyle.CN, site).build();
      X509v3CertificateBuilder b = builder(subject, publicKey, now, lifetime);
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, SITE_URN + site)));
      return sign(b, key);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for site " + site, e);
    }
  }

  /** A replica's server certificate for the edge listener, naming {@code hostnames} (DNS or IP). */
  X509Certificate issueServer(PublicKey publicKey, List<String> hostnames, Instant now, Duration lifetime) {
    try {
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "TMS").addRDN(BCStyle.CN, "tms-edge").build();
      X509v3CertificateBuilder b = builder(subject, publicKey, now, lifetime);
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      List<GeneralName> names = new ArrayList<>();
      for (String h : hostnames) {
        names.add(isIp(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      return sign(b, key);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the edge server certificate", e);
    }
  }

  private X509v3CertificateBuilder builder(X500Name subject, PublicKey publicKey, Instant now, Duration lifetime)
      throws GeneralSecurityException, IOException {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(),
        Date.from(now.minusSeconds(300)), Date.from(now.plus(lifetime)), subject, publicKey);
    JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(cert));
    b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(publicKey));
    return b;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner s = new JcaContentSignerBuilder("SHA384withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  private static boolean isIp(String h) {
    return h.matches("[0-9.]+") || h.contains(":");
  }

  static KeyPair ecKey(String curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /** 127 random bits, positive: unguessable and unique in practice. */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  /** The serial as the tables and logs show it. */
  public static String serialOf(X509Certificate c) {
    return c.getSerialNumber().toString(16);
  }

  public X509Certificate certificate() {
    return cert;
  }

  /** SHA-256 of the CA certificate (DER), base64url without padding: the pin a bootstrap token carries. */
  public String fingerprint() {
    try {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA as an encrypted PKCS#12 keystore (PBES2 / AES-256, the JDK's PKCS#12 default). */
  byte[] toKeystore(char[] passphrase) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(ALIAS, key, passphrase, new Certificate[] {cert});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, passphrase);
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write the CA keystore", e);
    }
  }

  /** Opens a keystore written by {@link #toKeystore}; a wrong passphrase names the setting. */
  static CertificateAuthority fromKeystore(byte[] keystore, char[] passphrase) {
    KeyStore ks;
    try {
      ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(keystore), passphrase);
    } catch (IOException e) {
      throw new IllegalStateException("the CA keystore cannot be opened: wrong TMS_CA_PASSPHRASE? (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the CA keystore cannot be read", e);
    }
    try {
      String alias = ks.containsAlias(ALIAS) ? ALIAS : ks.aliases().nextElement();
      PrivateKey k = (PrivateKey) ks.getKey(alias, passphrase);
      X509Certificate c = (X509Certificate) ks.getCertificate(alias);
      if (k == null || c == null) {
        throw new IllegalStateException("the CA keystore holds no key entry");
      }
      return new CertificateAuthority(k, c);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the CA key cannot be read: wrong TMS_CA_PASSPHRASE?", e);
    }
  }
}
