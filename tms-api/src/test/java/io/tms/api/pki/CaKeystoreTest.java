package io.tms.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.api.TestDatabase;
import io.tms.api.store.CloudDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The CA is made once even when replicas start together, is stored only encrypted, and opens only
 * with its passphrase.
 */
class CaKeystoreTest {
  private static final char[] PASS = "keystore test passphrase".toCharArray();

  @Test
  void replicas_starting_together_make_one_ca() throws Exception {
    try (CloudDatabase db = CloudDatabase.open(TestDatabase.freshCloudConfig())) {
      int replicas = 4;
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> fingerprints = new ArrayList<>();
      try (var pool = Executors.newFixedThreadPool(replicas)) {
        for (int i = 0; i < replicas; i++) {
          fingerprints.add(pool.submit(() -> {
            go.await();
            return CaKeystore.load(db.jdbi(), null, PASS, Instant.now()).fingerprint();
          }));
        }
        go.countDown();
        String first = fingerprints.getFirst().get();
        for (Future<String> f : fingerprints) {
          assertThat(f.get()).isEqualTo(first);
        }
      }
      int rows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pki_ca").mapTo(Integer.class).one());
      assertThat(rows).isEqualTo(1);
      byte[] stored = db.jdbi().withHandle(h -> h.createQuery("SELECT keystore FROM pki_ca").mapTo(byte[].class).one());
      // encrypted: no PKCS#8 EC key in the clear, and a wrong passphrase names the setting
      assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("BEGIN");
      assertThatThrownBy(() -> CaKeystore.load(db.jdbi(), null, "not the passphrase".toCharArray(), Instant.now()))
          .hasMessageContaining("TMS_CA_PASSPHRASE");
    }
  }
}
