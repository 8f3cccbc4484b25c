package io.tms.agent.sync;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one {@code UplinkBatchV1} as JSON straight from the outbox's stored bytes. Each event's
 * body, which is JSON already, goes inlined as {@code bodyJson} byte for byte (no string of it is
 * made, nothing is escaped), so the cloud hashes and lands the very bytes the site hashed
 * (docs/sync-protocol.md). A stored body that is not a JSON object goes as the original
 * {@code body} string. The other fields are short, but escaped all the same. Not thread-safe: one
 * per batch.
 */
final class UplinkBatchWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final byte[] buf = new byte[64 * 1024];
  private int n;
  private int events;

  UplinkBatchWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * The head of the batch, up to the opening bracket of {@code events}. {@code droppedThroughSeq} and
   * {@code afterBusinessSeq} are written only when given; the latter marks a telemetry batch sent
   * before business is acknowledged, which the cloud applies only once it holds business that far.
   */
  void start(String siteCode, String lane, long fromSeq, String prevHash, Long droppedThroughSeq,
      Long afterBusinessSeq) throws IOException {
    raw("{\"siteCode\":");
    string(siteCode);
    raw(",\"lane\":");
    string(lane);
    raw(",\"fromSeq\":");
    raw(Long.toString(fromSeq));
    raw(",\"prevHash\":");
    string(prevHash);
    if (droppedThroughSeq != null) {
      raw(",\"droppedThroughSeq\":");
      raw(Long.toString(droppedThroughSeq));
    }
    if (afterBusinessSeq != null) {
      raw(",\"afterBusinessSeq\":");
      raw(Long.toString(afterBusinessSeq));
    }
    raw(",\"events\":[");
  }

  /** One event; {@code body} is its stored UTF-8 JSON, exactly as hashed. */
  void event(long seq, String type, String occurredAt, byte[] body, String hash) throws IOException {
    event(seq, utf8(type), utf8(occurredAt), body, utf8(hash));
  }

  /**
   * One event from the columns' stored UTF-8 bytes (as SQLite returns them, no string made and
   * encoded again); {@code body} is its stored JSON, exactly as hashed.
   */
  void event(long seq, byte[] type, byte[] occurredAt, byte[] body, byte[] hash) throws IOException {
    raw(events++ == 0 ? "{\"seq\":" : ",{\"seq\":");
    number(seq);
    raw(",\"type\":");
    string(type);
    raw(",\"occurredAt\":");
    string(occurredAt);
    raw(",\"hash\":");
    string(hash);
    if (isObject(body)) {
      raw(",\"bodyJson\":");
      if (body.length > buf.length - n) {
        flush();
      }
      if (body.length > buf.length) {
        out.write(body);
      } else {
        System.arraycopy(body, 0, buf, n, body.length);
        n += body.length;
      }
    } else {
      raw(",\"body\":");
      string(body);
    }
    put('}');
  }

  /** Closes the batch and hands every byte to the stream (which the caller closes). */
  void end() throws IOException {
    raw("]}");
    flush();
  }

  private void flush() throws IOException {
    out.write(buf, 0, n);
    n = 0;
  }

  private void put(int b) throws IOException {
    if (n == buf.length) {
      flush();
    }
    buf[n++] = (byte) b;
  }

  /** Starts with '{' and ends with '}': the agent's bodies always do (Jackson writes them compact). */
  static boolean isObject(byte[] body) {
    return body.length >= 2 && body[0] == '{' && body[body.length - 1] == '}';
  }

  private void raw(String ascii) throws IOException {
    for (int i = 0, len = ascii.length(); i < len; i++) {
      put(ascii.charAt(i));
    }
  }

  private static byte[] utf8(String v) {
    return v.getBytes(StandardCharsets.UTF_8);
  }

  private void number(long v) throws IOException {
    if (v < 0 || buf.length - n < 20) {
      raw(Long.toString(v));
      return;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    for (int i = n + digits - 1; i >= n; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    n += digits;
  }

  private void string(String v) throws IOException {
    string(utf8(v));
  }

  /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped, the rest as is. */
  private void string(byte[] b) throws IOException {
    put('"');
    for (byte c : b) {
      if (c == '"' || c == '\\') {
        put('\\');
        put(c);
      } else if (c >= 0 && c < 0x20) {
        put('\\');
        put('u');
        put('0');
        put('0');
        put(HEX[c >> 4]);
        put(HEX[c & 0xf]);
      } else {
        put(c);
      }
    }
    put('"');
  }
}
