package io.tms.agent.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one {@code UplinkBatchV1} as JSON straight from the outbox's stored bytes, into one array
 * that the caller then compresses in one call ({@link BatchCompressor}). Each event's body, which
 * is JSON already, goes inlined as {@code bodyJson} byte for byte (no string of it is made, nothing
 * is escaped), so the cloud hashes and lands the very bytes the site hashed
 * (docs/sync-protocol.md). A stored body that is not a JSON object goes as the original
 * {@code body} string. The other fields are short, but escaped all the same. Not thread-safe: one
 * per batch.
 */
final class UplinkBatchWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf;
  private int n;
  private int events;

  /**
   * Writes into {@code buffer} from its start, growing into a new array when it is full: a caller
   * that reuses its buffer across batches keeps {@link #array()} after each.
   */
  UplinkBatchWriter(byte[] buffer) {
    this.buf = buffer.length == 0 ? new byte[1024] : buffer;
  }

  /** The array holding the batch (the one given, or a larger one); its first {@link #length()} bytes. */
  byte[] array() {
    return buf;
  }

  /** Bytes written so far. */
  int length() {
    return n;
  }

  /**
   * The head of the batch, up to the opening bracket of {@code events}. {@code droppedThroughSeq} and
   * {@code afterBusinessSeq} are written only when given; the latter marks a telemetry batch sent
   * before business is acknowledged, which the cloud applies only once it holds business that far.
   */
  void start(String siteCode, String lane, long fromSeq, String prevHash, Long droppedThroughSeq,
      Long afterBusinessSeq) {
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
  void event(long seq, String type, String occurredAt, byte[] body, String hash) {
    event(seq, utf8(type), utf8(occurredAt), body, utf8(hash));
  }

  /**
   * One event from the columns' stored UTF-8 bytes (as SQLite returns them, no string made and
   * encoded again); {@code body} is its stored JSON, exactly as hashed.
   */
  void event(long seq, byte[] type, byte[] occurredAt, byte[] body, byte[] hash) {
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
      room(body.length);
      System.arraycopy(body, 0, buf, n, body.length);
      n += body.length;
    } else {
      raw(",\"body\":");
      string(body);
    }
    room(1);
    buf[n++] = '}';
  }

  /** Closes the batch: {@link #array()} holds it whole. */
  void end() {
    raw("]}");
  }

  /** Makes room for {@code more} bytes after the {@link #length()} written (doubling, at least). */
  private void room(int more) {
    if (more > buf.length - n) {
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * buf.length, (long) n + more)));
    }
  }

  /** Starts with '{' and ends with '}': the agent's bodies always do (Jackson writes them compact). */
  static boolean isObject(byte[] body) {
    return body.length >= 2 && body[0] == '{' && body[body.length - 1] == '}';
  }

  private void raw(String ascii) {
    int len = ascii.length();
    room(len);
    for (int i = 0; i < len; i++) {
      buf[n++] = (byte) ascii.charAt(i);
    }
  }

  private static byte[] utf8(String v) {
    return v.getBytes(StandardCharsets.UTF_8);
  }

  private void number(long v) {
    if (v < 0) {
      raw(Long.toString(v));
      return;
    }
    room(20);
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

  private void string(String v) {
    string(utf8(v));
  }

  /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped, the rest as is. */
  private void string(byte[] b) {
    room((int) Math.min(Integer.MAX_VALUE - 8, 2 + 6L * b.length)); // every byte escaped, at worst
    byte[] o = buf;
    int i = n;
    o[i++] = '"';
    for (byte c : b) {
      if (c == '"' || c == '\\') {
        o[i++] = '\\';
        o[i++] = c;
      } else if (c >= 0 && c < 0x20) {
        o[i++] = '\\';
        o[i++] = 'u';
        o[i++] = '0';
        o[i++] = '0';
        o[i++] = HEX[c >> 4];
        o[i++] = HEX[c & 0xf];
      } else {
        o[i++] = c;
      }
    }
    o[i++] = '"';
    n = i;
  }
}
