package io.tms.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity on disk: the key file is 0600, key and certificate read back as written; renewal at 2/3. */
class IdentityFilesTest {
  @TempDir Path dir;

  @Test
  void the_key_file_is_private_and_reads_back_what_was_written() throws Exception {
    KeyPair kp = p256();
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    X509Certificate cert = selfSigned(kp, from, Duration.ofDays(30));
    IdentityFiles files = new IdentityFiles(dir);
    assertThat(files.credential()).isEmpty();

    files.saveCredential(new SwappingKeyManager.Credential(kp.getPrivate(), new X509Certificate[] {cert}));
    files.saveCa(cert);

    assertThat(Files.getPosixFilePermissions(files.siteFile()))
        .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    SwappingKeyManager.Credential back = files.credential().orElseThrow();
    assertThat(back.key()).isEqualTo(kp.getPrivate());
    assertThat(back.chain()).containsExactly(cert);
    assertThat(files.ca()).contains(cert);

    // replaced atomically by a new credential, still 0600, no leftovers
    KeyPair next = p256();
    X509Certificate renewed = selfSigned(next, from.plus(Duration.ofDays(20)), Duration.ofDays(30));
    files.saveCredential(new SwappingKeyManager.Credential(next.getPrivate(), new X509Certificate[] {renewed}));
    assertThat(files.credential().orElseThrow().chain()).containsExactly(renewed);
    assertThat(Files.getPosixFilePermissions(files.siteFile())).doesNotContain(PosixFilePermission.GROUP_READ,
        PosixFilePermission.OTHERS_READ);
    try (var listing = Files.list(files.siteFile().getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("site.pem", "cloud-ca.pem");
    }
  }

  @Test
  void renewal_is_due_at_two_thirds_of_the_lifetime() throws Exception {
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    X509Certificate cert = selfSigned(p256(), from, Duration.ofDays(30));
    assertThat(SiteCredentials.renewAt(cert)).isEqualTo(from.plus(Duration.ofDays(20)));
  }

  @Test
  void the_key_manager_presents_the_current_credential_and_nothing_before_enrollment() throws Exception {
    SwappingKeyManager keys = new SwappingKeyManager();
    assertThat(keys.chooseEngineClientAlias(new String[] {"EC"}, null, null)).isNull();
    KeyPair kp = p256();
    X509Certificate cert = selfSigned(kp, Instant.now(), Duration.ofDays(1));
    keys.swap(new SwappingKeyManager.Credential(kp.getPrivate(), new X509Certificate[] {cert}));
    String alias = keys.chooseEngineClientAlias(new String[] {"EC"}, null, null);
    assertThat(keys.getCertificateChain(alias)).containsExactly(cert);
    KeyPair next = p256();
    X509Certificate renewed = selfSigned(next, Instant.now(), Duration.ofDays(1));
    keys.swap(new SwappingKeyManager.Credential(next.getPrivate(), new X509Certificate[] {renewed}));
    assertThat(keys.getCertificateChain(alias)).containsExactly(renewed);
    assertThat(keys.getPrivateKey(alias)).isEqualTo(next.getPrivate());
  }

  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair kp, Instant from, Duration life) throws Exception {
    X500Name name = new X500Name("CN=TEST1");
    return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
        Date.from(from), Date.from(from.plus(life)), name, kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
  }
}
