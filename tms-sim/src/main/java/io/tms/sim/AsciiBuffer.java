package io.tms.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer that the bench terminals assemble request paths, keys and JSON
 * bodies in, without a String or a StringBuilder per request: the load generator shares two cores
 * with the agent it measures, so what it allocates and copies is taken from the agent. Text
 * appended must be ASCII (ids, card numbers, digits); not thread-safe: one per terminal.
 */
final class AsciiBuffer {
  private byte[] bytes;
  private int length;

  AsciiBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  AsciiBuffer clear() {
    length = 0;
    return this;
  }

  int length() {
    return length;
  }

  byte[] array() {
    return bytes;
  }

  AsciiBuffer append(byte[] b) {
    return append(b, 0, b.length);
  }

  AsciiBuffer append(byte[] b, int from, int n) {
    ensure(n);
    System.arraycopy(b, from, bytes, length, n);
    length += n;
    return this;
  }

  AsciiBuffer append(AsciiBuffer b) {
    return append(b.bytes, 0, b.length);
  }

  /** ASCII text (JSON punctuation and names), copied char by char: no encoding step, no garbage. */
  AsciiBuffer append(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length + i] = (byte) ascii.charAt(i);
    }
    length += n;
    return this;
  }

  AsciiBuffer append(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  AsciiBuffer append(long n) {
    if (n < 0) {
      append('-');
      n = -n;
    }
    ensure(20);
    int start = length;
    do {
      bytes[length++] = (byte) ('0' + n % 10);
      n /= 10;
    } while (n > 0);
    for (int i = start, j = length - 1; i < j; i++, j--) {
      byte t = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = t;
    }
    return this;
  }

  /** {@code tenths / 10} as a decimal with one digit after the point, as {@code Double.toString} writes it. */
  AsciiBuffer appendTenths(long tenths) {
    if (tenths < 0) {
      append('-');
      tenths = -tenths;
    }
    return append(tenths / 10).append('.').append(tenths % 10);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }
}
