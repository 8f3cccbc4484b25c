package io.tms.api.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Rows for one table in PostgreSQL's COPY text format, sent in one {@code COPY ... FROM STDIN}:
 * about twice the speed of batched INSERTs (DESIGN §11). Values are escaped here; {@code null}
 * becomes {@code \N}. Not thread-safe: one per table per batch.
 */
final class CopyRows {
  private final String copySql;
  private final StringBuilder out = new StringBuilder(1 << 16);
  private boolean rowOpen;
  private int rows;

  CopyRows(String table, String columns) {
    this.copySql = "COPY " + table + " (" + columns + ") FROM STDIN";
  }

  CopyRows text(String v) {
    sep();
    if (v == null) {
      out.append("\\N");
    } else {
      escape(v);
    }
    return this;
  }

  CopyRows num(long v) {
    sep();
    out.append(v);
    return this;
  }

  CopyRows num(double v) {
    sep();
    out.append(v);
    return this;
  }

  CopyRows bool(boolean v) {
    sep();
    out.append(v ? 't' : 'f');
    return this;
  }

  /** A text[] value. */
  CopyRows textArray(List<String> values) {
    sep();
    if (values == null) {
      out.append("\\N");
      return this;
    }
    StringBuilder a = new StringBuilder(values.size() * 8 + 2).append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        a.append(',');
      }
      String v = values.get(i);
      if (v == null) {
        a.append("NULL");
      } else {
        a.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    escape(a.append('}').toString());
    return this;
  }

  /** A value already in PostgreSQL's input syntax that needs no escaping (numbers, numeric arrays). */
  CopyRows raw(CharSequence v) {
    sep();
    out.append(v);
    return this;
  }

  /** Appends to the current field without a separator (for values built in pieces). */
  StringBuilder rawField() {
    sep();
    return out;
  }

  CopyRows end() {
    out.append('\n');
    rowOpen = false;
    rows++;
    return this;
  }

  int rows() {
    return rows;
  }

  /** Sends the rows (if any) on {@code c}, inside its transaction. */
  void copy(Connection c) throws SQLException {
    if (rows == 0) {
      return;
    }
    try {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new StringReader(out.toString()));
    } catch (IOException e) {
      throw new SQLException("COPY failed: " + copySql, e);
    }
  }

  private void sep() {
    if (rowOpen) {
      out.append('\t');
    }
    rowOpen = true;
  }

  private void escape(String v) {
    for (int i = 0, n = v.length(); i < n; i++) {
      char ch = v.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
  }
}
