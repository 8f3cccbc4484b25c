package io.tms.agent.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity on disk, under {@code <data>/identity/}: {@code site.pem} (the private key, PKCS#8,
 * and the certificate; mode 0600, replaced atomically so key and certificate always match) and
 * {@code cloud-ca.pem} (the pinned CA). PEM, so {@code openssl} can read both.
 */
public final class IdentityFiles {
  private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");
  private static final Base64.Encoder PEM = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private final Path dir;

  public IdentityFiles(Path dataDir) {
    this.dir = dataDir.resolve("identity");
  }

  public Path siteFile() {
    return dir.resolve("site.pem");
  }

  public Path caFile() {
    return dir.resolve("cloud-ca.pem");
  }

  /** The stored key and certificate, if enrolled. */
  public Optional<SwappingKeyManager.Credential> credential() {
    if (!Files.exists(siteFile())) {
      return Optional.empty();
    }
    try {
      String pem = Files.readString(siteFile(), StandardCharsets.US_ASCII);
      Matcher m = KEY.matcher(pem);
      if (!m.find()) {
        throw new IllegalStateException(siteFile() + " holds no private key");
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(1).trim());
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      List<X509Certificate> certs = certificates(pem.substring(m.end()));
      if (certs.isEmpty()) {
        throw new IllegalStateException(siteFile() + " holds no certificate");
      }
      return Optional.of(new SwappingKeyManager.Credential(key, certs.toArray(X509Certificate[]::new)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + siteFile(), e);
    }
  }

  public Optional<X509Certificate> ca() {
    if (!Files.exists(caFile())) {
      return Optional.empty();
    }
    try {
      return certificates(Files.readString(caFile(), StandardCharsets.US_ASCII)).stream().findFirst();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + caFile(), e);
    }
  }

  /** Writes key and certificate into a new 0600 file and moves it over the old one. */
  public void saveCredential(SwappingKeyManager.Credential c) {
    try {
      StringBuilder pem = new StringBuilder(pem("PRIVATE KEY", c.key().getEncoded()));
      for (X509Certificate cert : c.chain()) {
        pem.append(pem("CERTIFICATE", cert.getEncoded()));
      }
      replace(siteFile(), pem.toString(), true);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write " + siteFile(), e);
    }
  }

  public void saveCa(X509Certificate ca) {
    try {
      replace(caFile(), pem("CERTIFICATE", ca.getEncoded()), false);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write " + caFile(), e);
    }
  }

  private void replace(Path target, String content, boolean secret) throws IOException {
    Files.createDirectories(dir);
    Path tmp = target.resolveSibling(target.getFileName() + ".next");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system
    } catch (FileAlreadyExistsException e) {
      throw new IOException("concurrent write of " + tmp, e);
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + PEM.encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
        .map(c -> (X509Certificate) c).toList();
  }
}
