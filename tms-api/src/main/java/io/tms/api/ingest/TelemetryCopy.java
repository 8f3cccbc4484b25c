package io.tms.api.ingest;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Telemetry blocks in PostgreSQL's binary COPY format, one row per block of {@code telemetry_block}.
 * A block in the JSON form goes to {@code samples}: each sample as the 8 bytes of its {@code float8},
 * so PostgreSQL does not parse ten million numbers from text again (the cloud parsed them once,
 * from the block's JSON). A block in the compact form goes to {@code encoded} as its bytes
 * ({@link io.tms.protocol.v1.TelemetryBlock}), undecoded. Not thread-safe: one per chunk.
 */
final class TelemetryCopy {
  private static final int TEXT_OID = 25;
  private static final int FLOAT8_OID = 701;
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
  private static final String SQL = "COPY telemetry_block (site_code, seq, source_kind, source_id, first_at, interval_ms,"
      + " sample_count, metrics, samples, encoded) FROM STDIN (FORMAT binary)";

  private final Bytes bytes = new Bytes();
  private final DataOutputStream out = new DataOutputStream(bytes);
  private int rows;

  TelemetryCopy() {
    try {
      out.write(CopyRows.HEADER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One block: {@code values} holds {@code count * width} samples row by row, NaN for a missing
   * one ({@code missing[i]} true).
   */
  void add(String site, long seq, String kind, String source, Instant firstAt, int intervalMs, List<String> metrics,
      int count, int width, double[] values, boolean[] missing, boolean anyMissing) {
    try {
      head(site, seq, kind, source, firstAt, intervalMs, metrics, count);
      if (count == 0 || width == 0) {
        out.writeInt(12);
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(FLOAT8_OID);
      } else {
        int n = count * width;
        int nonNull = 0;
        for (int i = 0; i < n; i++) {
          if (!anyMissing || !missing[i]) {
            nonNull++;
          }
        }
        out.writeInt(12 + 16 + n * 4 + nonNull * 8);
        out.writeInt(2);
        out.writeInt(anyMissing ? 1 : 0);
        out.writeInt(FLOAT8_OID);
        out.writeInt(count);
        out.writeInt(1);
        out.writeInt(width);
        out.writeInt(1);
        for (int i = 0; i < n; i++) {
          if (anyMissing && missing[i]) {
            out.writeInt(-1);
          } else {
            out.writeInt(8);
            out.writeDouble(values[i]);
          }
        }
      }
      out.writeInt(-1); // encoded
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes room for {@code more} bytes of rows without growing the buffer step by step. */
  void reserve(int more) {
    bytes.reserve(more);
  }

  /** One block in the compact form: its bytes go to {@code encoded} as they are, {@code samples} NULL. */
  void addEncoded(String site, long seq, String kind, String source, Instant firstAt, int intervalMs,
      List<String> metrics, int count, byte[] encoded) {
    try {
      head(site, seq, kind, source, firstAt, intervalMs, metrics, count);
      out.writeInt(-1); // samples
      out.writeInt(encoded.length);
      out.write(encoded);
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void head(String site, long seq, String kind, String source, Instant firstAt, int intervalMs,
      List<String> metrics, int count) throws IOException {
    out.writeShort(10);
    text(site);
    out.writeInt(8);
    out.writeLong(seq);
    text(kind);
    text(source);
    out.writeInt(8);
    out.writeLong(firstAt.getEpochSecond() * 1_000_000L + firstAt.getNano() / 1_000 - PG_EPOCH_MICROS);
    out.writeInt(4);
    out.writeInt(intervalMs);
    out.writeInt(4);
    out.writeInt(count);
    textArray(metrics);
  }

  private void text(String v) throws IOException {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private void textArray(List<String> values) throws IOException {
    if (values.isEmpty()) {
      out.writeInt(12);
      out.writeInt(0);
      out.writeInt(0);
      out.writeInt(TEXT_OID);
      return;
    }
    byte[][] items = new byte[values.size()][];
    int size = 12 + 8;
    for (int i = 0; i < items.length; i++) {
      items[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
      size += 4 + items[i].length;
    }
    out.writeInt(size);
    out.writeInt(1);
    out.writeInt(0);
    out.writeInt(TEXT_OID);
    out.writeInt(items.length);
    out.writeInt(1);
    for (byte[] item : items) {
      out.writeInt(item.length);
      out.write(item);
    }
  }

  /**
   * The blocks of a batch's chunks, in order, in one COPY: the header, each buffer's rows as they
   * are (no copy of them into one array), one trailer. Nothing when none has a block.
   */
  static void copy(Connection c, List<TelemetryCopy> parts) throws SQLException {
    try {
      for (TelemetryCopy p : parts) {
        p.out.flush();
      }
    } catch (IOException e) {
      throw new SQLException("COPY failed: " + SQL, e);
    }
    CopyRows.copy(c, SQL, parts.stream().map(p -> new CopyRows.Part(p.bytes.array(), p.bytes.size(), p.rows)).toList());
  }

  /** A byte buffer whose array the COPY reads in place. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes() {
      super(1 << 16);
    }

    byte[] array() {
      return buf;
    }

    void reserve(int more) {
      if (buf.length - count < more) {
        buf = java.util.Arrays.copyOf(buf, count + more);
      }
    }
  }
}
