package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.agent.Json;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SiteDatabase;
import io.tms.protocol.v1.CardUnlockedV1;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.Lane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {
  @TempDir Path data;

  @Test
  void an_intact_chain_verifies_and_a_tampered_one_does_not() {
    try (SiteDatabase db = SiteDatabase.open(data, "VER1", Clock.systemUTC(), 8)) {
      OutboxStore outbox = new OutboxStore(Json.mapper());
      db.writer().write(ctx -> {
        for (int i = 0; i < 3; i++) {
          outbox.append(ctx, Lane.BUSINESS, EventTypes.CARD_UNLOCKED, Instant.EPOCH,
              new CardUnlockedV1("C" + i, Instant.EPOCH, "ops"));
        }
        return null;
      });
    }
    assertThat(run()).isZero();

    try (SiteDatabase db = SiteDatabase.open(data, "VER1", Clock.systemUTC(), 8)) {
      db.writer().write(ctx -> ctx.handle().execute(
          "UPDATE outbox_business SET body = replace(body, 'C1', 'C9') WHERE seq = 2"));
    }
    assertThat(run()).isEqualTo(1);
  }

  private int run() {
    return new CommandLine(new TmsCommand()).execute("verify", "--site", "VER1", "--data", data.toString());
  }
}
