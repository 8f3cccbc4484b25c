package io.tms.api.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the CA comes from, so that every replica signs with the same key: a mounted PKCS#12 file
 * (e.g. a Kubernetes Secret) when {@code TMS_CA_KEYSTORE} is set, else the encrypted keystore row
 * in PostgreSQL ({@code pki_ca}), created once by whichever replica starts first (under a
 * transaction-scoped advisory lock, so two replicas starting together still make one CA). The
 * database only ever holds the encrypted keystore; the passphrase stays in the replicas.
 */
final class CaKeystore {
  private static final Logger log = LoggerFactory.getLogger(CaKeystore.class);
  /** Advisory lock key: "TMSCA" in ASCII. */
  private static final long LOCK = 0x544d534341L;

  private CaKeystore() {}

  static CertificateAuthority load(Jdbi jdbi, Path mounted, char[] passphrase, Instant now) {
    if (mounted != null) {
      try {
        return CertificateAuthority.fromKeystore(Files.readAllBytes(mounted), passphrase);
      } catch (IOException e) {
        throw new IllegalStateException("TMS_CA_KEYSTORE cannot be read (" + mounted + "): " + e.getMessage());
      }
    }
    Optional<byte[]> stored = read(jdbi);
    if (stored.isPresent()) {
      return CertificateAuthority.fromKeystore(stored.get(), passphrase);
    }
    return jdbi.inTransaction(h -> {
      h.execute("SELECT pg_advisory_xact_lock(?)", LOCK);
      Optional<byte[]> again = h.createQuery("SELECT keystore FROM pki_ca WHERE id = 1").mapTo(byte[].class).findOne();
      if (again.isPresent()) {
        return CertificateAuthority.fromKeystore(again.get(), passphrase);
      }
      CertificateAuthority ca = CertificateAuthority.create(now);
      h.createUpdate("INSERT INTO pki_ca (id, keystore, subject, created_at) VALUES (1, :ks, :subject, :at)")
          .bind("ks", ca.toKeystore(passphrase))
          .bind("subject", ca.certificate().getSubjectX500Principal().getName())
          .bind("at", Timestamp.from(now))
          .execute();
      log.info("created the site CA {} (fingerprint {})", ca.certificate().getSubjectX500Principal().getName(),
          ca.fingerprint());
      return ca;
    });
  }

  private static Optional<byte[]> read(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT keystore FROM pki_ca WHERE id = 1").mapTo(byte[].class).findOne());
  }
}
