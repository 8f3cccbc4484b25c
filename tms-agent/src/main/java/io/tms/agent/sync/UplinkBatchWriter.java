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

  /** The head of the batch, up to the opening bracket of {@code events}. */
  void start(String siteCode, String lane, long fromSeq, String prevHash, Long droppedThroughSeq) throws IOException {
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
    raw(",\"events\":[");
  }

  /** One event; {@code body} is its stored UTF-8 JSON, exactly as hashed. */
  void event(long seq, String type, String occurredAt, byte[] body, String hash) throws IOException {
    raw(events++ == 0 ? "{\"seq\":" : ",{\"seq\":");
    raw(Long.toString(seq));
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
      string(new String(body, StandardCharsets.UTF_8));
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

  private void string(String v) throws IOException {
    put('"');
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
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
