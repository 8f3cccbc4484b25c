package io.tms.agent.service;

import io.tms.agent.store.InventoryStore;
import io.tms.agent.store.MasterData;
import io.tms.agent.store.OutboxStore;
import io.tms.agent.store.SequenceStore;
import io.tms.agent.store.WriteContext;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.inventory.GaugeReading;
import io.tms.domain.masterdata.Tank;
import io.tms.protocol.v1.EventTypes;
import io.tms.protocol.v1.GaugeReadingRecordedV1;
import io.tms.protocol.v1.Lane;
import java.time.Instant;
import java.util.function.Supplier;

/** Records tank gauge readings against the book inventory. One unit of work per reading. */
public final class InventoryService {
  private final Supplier<MasterData> masterData;
  private final OutboxStore outbox;
  private final InventoryStore inventory = new InventoryStore();
  private final SequenceStore sequences = new SequenceStore();

  public InventoryService(Supplier<MasterData> masterData, OutboxStore outbox) {
    this.masterData = masterData;
    this.outbox = outbox;
  }

  /** A reading from a tank gauge or a manual dip; {@code readAt} null means now. */
  public GaugeReadingRecordedV1 recordGauge(
      WriteContext ctx, String tankId, double grossGallons, double waterGallons, double temperatureF, Instant readAt) {
    MasterData md = masterData.get();
    Tank tank = md.tanks().get(tankId);
    if (tank == null) {
      throw new DomainException(ErrorCode.NOT_FOUND, "tankId", "no tank " + tankId);
    }
    Instant at = readAt == null ? ctx.now() : readAt;
    if (at.isAfter(ctx.now().plusSeconds(300))) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "readAt", "reading is in the future: " + at);
    }
    GaugeReading reading = GaugeReading.of(
        tank, md.products().get(tank.productCode()), at, grossGallons, waterGallons, temperatureF);
    var sql = ctx.sql();
    double book = inventory.book(sql, tankId);
    String id = md.site().code() + "-G" + sequences.next(ctx, SequenceStore.GAUGE);
    inventory.insertGauge(sql, id, reading, book);
    GaugeReadingRecordedV1 event = new GaugeReadingRecordedV1(
        id, tankId, at, reading.grossGallons(), reading.waterGallons(), reading.temperatureF(), reading.netGallons(),
        book);
    outbox.append(ctx, Lane.BUSINESS, EventTypes.GAUGE_READING_RECORDED, ctx.now(), event);
    return event;
  }
}
