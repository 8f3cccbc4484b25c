package io.tms.api.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for one table in PostgreSQL's binary COPY format, sent in one
 * {@code COPY ... FROM STDIN (FORMAT binary)}. Binary rather than text: the cloud does not print
 * doubles and timestamps for PostgreSQL to parse again, nor build a {@code String} that pgjdbc
 * re-encodes; the bytes go from this buffer to the socket. Each call must match its column's type
 * exactly ({@code int4} into INTEGER, {@code int8} into BIGINT …): the server checks the lengths and
 * refuses the COPY otherwise. {@code null} is the length -1. Not thread-safe: one per table per chunk.
 */
final class CopyRows {
  /** The binary COPY file header: signature, flags 0, no extension. */
  static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final int TEXT_OID = 25;
  private static final int INT4_OID = 23;
  private static final int INT8_OID = 20;
  private static final int FLOAT8_OID = 701;
  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970. */
  static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private final String copySql;
  private final short columns;
  private byte[] buf = new byte[1 << 14];
  private int len;
  private int rows;
  private int fieldsInRow;

  CopyRows(String table, String columns) {
    this.copySql = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
    this.columns = (short) columns.split(",").length;
    put(HEADER, 0, HEADER.length);
  }

  CopyRows text(String v) {
    field();
    if (v == null) {
      int4raw(-1);
      return this;
    }
    int at = len;
    int4raw(0); // length, set below
    utf8(v);
    setInt(at, len - at - 4);
    return this;
  }

  CopyRows int8(long v) {
    field();
    ensure(12);
    int4raw(8);
    long8raw(v);
    return this;
  }

  CopyRows int4(int v) {
    field();
    ensure(8);
    int4raw(4);
    int4raw(v);
    return this;
  }

  CopyRows float8(double v) {
    field();
    ensure(12);
    int4raw(8);
    long8raw(Double.doubleToRawLongBits(v));
    return this;
  }

  CopyRows bool(boolean v) {
    field();
    ensure(5);
    int4raw(1);
    buf[len++] = (byte) (v ? 1 : 0);
    return this;
  }

  /** A {@code timestamptz}: microseconds since 2000-01-01 (sub-microsecond digits rounded, as PostgreSQL does). */
  CopyRows ts(Instant v) {
    if (v == null) {
      field();
      int4raw(-1);
      return this;
    }
    return int8(micros(v) - PG_EPOCH_MICROS);
  }

  static long micros(Instant v) {
    return Math.addExact(Math.multiplyExact(v.getEpochSecond(), 1_000_000L), (v.getNano() + 500) / 1_000);
  }

  /** A one-dimensional {@code text[]} (null elements allowed). */
  CopyRows textArray(List<String> values) {
    if (values == null) {
      field();
      int4raw(-1);
      return this;
    }
    return textArray(values.toArray(String[]::new), values.size());
  }

  /** A one-dimensional {@code text[]} of {@code values[0, n)} (null elements allowed). */
  CopyRows textArray(String[] values, int n) {
    field();
    int at = len;
    int4raw(0); // length, set below
    boolean nulls = false;
    for (int i = 0; i < n; i++) {
      nulls |= values[i] == null;
    }
    arrayHead(n, nulls, TEXT_OID);
    for (int i = 0; i < n; i++) {
      String v = values[i];
      if (v == null) {
        int4raw(-1);
      } else {
        int item = len;
        int4raw(0);
        utf8(v);
        setInt(item, len - item - 4);
      }
    }
    setInt(at, len - at - 4);
    return this;
  }

  /** A one-dimensional {@code integer[]} of {@code values[0, n)}. */
  CopyRows int4Array(int[] values, int n) {
    field();
    int4raw(n == 0 ? 12 : 20 + n * 8);
    arrayHead(n, false, INT4_OID);
    ensure(n * 8);
    for (int i = 0; i < n; i++) {
      int4raw(4);
      int4raw(values[i]);
    }
    return this;
  }

  /** A one-dimensional {@code bigint[]} of {@code values[0, n)}. */
  CopyRows int8Array(long[] values, int n) {
    field();
    int4raw(n == 0 ? 12 : 20 + n * 12);
    arrayHead(n, false, INT8_OID);
    ensure(n * 12);
    for (int i = 0; i < n; i++) {
      int4raw(8);
      long8raw(values[i]);
    }
    return this;
  }

  /** A one-dimensional {@code double precision[]} of {@code values[0, n)}. */
  CopyRows float8Array(double[] values, int n) {
    field();
    int4raw(n == 0 ? 12 : 20 + n * 12);
    arrayHead(n, false, FLOAT8_OID);
    ensure(n * 12);
    for (int i = 0; i < n; i++) {
      int4raw(8);
      long8raw(Double.doubleToRawLongBits(values[i]));
    }
    return this;
  }

  /** An array's header: no dimension when empty, else one of {@code n} elements from index 1. */
  private void arrayHead(int n, boolean nulls, int elementOid) {
    int4raw(n == 0 ? 0 : 1); // dimensions
    int4raw(nulls ? 1 : 0);
    int4raw(elementOid);
    if (n > 0) {
      int4raw(n);
      int4raw(1); // lower bound
    }
  }

  CopyRows end() {
    if (fieldsInRow != columns) {
      throw new IllegalStateException(copySql + ": a row of " + fieldsInRow + " fields, not " + columns);
    }
    fieldsInRow = 0;
    rows++;
    return this;
  }

  int rows() {
    return rows;
  }

  /**
   * Sends the rows of several buffers of one table (a batch's chunks, in order) in one COPY: the
   * first one's header, every one's rows as they are, one trailer. Nothing when none has a row.
   */
  static void copy(Connection c, List<CopyRows> parts) throws SQLException {
    copy(c, parts.getFirst().copySql, parts.stream().map(p -> new Part(p.buf, p.len, p.rows)).toList());
  }

  /** A buffer of binary COPY rows after the {@link #HEADER}: its array, the bytes used, its rows. */
  record Part(byte[] buf, int len, int rows) {}

  /**
   * One COPY of {@code sql} from the parts' rows, in order, read from their arrays in place: one
   * header, each part's rows, one trailer. Nothing when no part has a row.
   */
  static void copy(Connection c, String sql, List<Part> parts) throws SQLException {
    int total = 0;
    for (Part p : parts) {
      total += p.rows();
    }
    if (total == 0) {
      return;
    }
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      in.writeToCopy(HEADER, 0, HEADER.length);
      for (Part p : parts) {
        if (p.rows() > 0) {
          in.writeToCopy(p.buf(), HEADER.length, p.len() - HEADER.length);
        }
      }
      in.writeToCopy(TRAILER, 0, TRAILER.length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  /** The file trailer: a field count of -1. */
  private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

  private void field() {
    if (fieldsInRow == 0) {
      ensure(2);
      buf[len++] = (byte) (columns >>> 8);
      buf[len++] = (byte) columns;
    }
    fieldsInRow++;
    ensure(4);
  }

  private void utf8(String v) {
    int n = v.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char ch = v.charAt(i);
      if (ch >= 0x80) { // not ASCII: the JDK's encoder for the rest
        byte[] rest = v.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        put(rest, 0, rest.length);
        return;
      }
      buf[len++] = (byte) ch;
    }
  }

  private void int4raw(int v) {
    ensure(4);
    buf[len] = (byte) (v >>> 24);
    buf[len + 1] = (byte) (v >>> 16);
    buf[len + 2] = (byte) (v >>> 8);
    buf[len + 3] = (byte) v;
    len += 4;
  }

  private void long8raw(long v) {
    int4raw((int) (v >>> 32));
    int4raw((int) v);
  }

  private void setInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void put(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
