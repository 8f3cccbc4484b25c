package io.tms.protocol.v1;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * The compact binary form of a telemetry block ({@link TelemetrySamplesV1#encoded()}): fixed-point
 * deltas as varints, column by column. Plain JDK; stateless.
 *
 * <p>Format version 1 (all integers are unsigned LEB128 varints unless marked byte):
 *
 * <pre>
 * block   = version:byte(=1) samples:varint metrics:varint column{metrics}
 * column  = scale:byte(0..6) flags:byte(0|1) [present:byte{ceil(samples/8)} if flags=1] delta{present count}
 * delta   = zigzag varint of (q[i] - q[previous present]), the first against 0
 * </pre>
 *
 * {@code q = round(value * 10^scale)} is the sample as an integer of {@code scale} decimal places,
 * |q| &le; 2<sup>53</sup>; decoding gives {@code q / 10^scale}, which is exactly the double one
 * would parse from the decimal text, so a value with at most {@code scale} decimals survives the
 * round trip unchanged (others are rounded to {@code scale} decimals). {@code flags = 1}: some
 * samples of the column are missing; bit {@code i % 8} (least significant first) of byte
 * {@code i / 8} of {@code present} is set when sample {@code i} is there. Missing samples (JSON
 * {@code null}) are {@code NaN} in the {@code double[][]} of this class. Zigzag: {@code (d << 1) ^
 * (d >> 63)}. The block must end after the last column.
 */
public final class TelemetryBlock {
  /** The format version this class writes and reads. */
  public static final int VERSION = 1;
  /** Largest scale (decimal places) of a column. */
  public static final int MAX_SCALE = 6;
  /** Largest samples × metrics of one block (bounds what a decoder allocates). */
  public static final int MAX_VALUES = 1 << 22;
  private static final long MAX_Q = 1L << 53;
  private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  private TelemetryBlock() {}

  /** What a block's header says. */
  public record Header(int samples, int metrics) {}

  /** Thrown for a block that does not follow the format; the message says where. */
  public static final class MalformedBlockException extends IllegalArgumentException {
    public MalformedBlockException(String message) {
      super(message);
    }
  }

  /**
   * Encodes {@code rows[i][m]} (sample i, metric m; NaN = missing) with {@code scales[m]} decimal
   * places per metric. Every row must have {@code scales.length} values; infinities and values too
   * large for their scale are refused.
   */
  public static byte[] encode(double[][] rows, int[] scales) {
    int metrics = scales.length;
    int samples = rows.length;
    if ((long) samples * metrics > MAX_VALUES) {
      throw new IllegalArgumentException("a block holds at most " + MAX_VALUES + " values");
    }
    for (int i = 0; i < samples; i++) {
      if (rows[i] == null || rows[i].length != metrics) {
        throw new IllegalArgumentException("row " + i + " must have " + metrics + " values");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + samples * metrics * 2);
    out.write(VERSION);
    varint(out, samples);
    varint(out, metrics);
    for (int m = 0; m < metrics; m++) {
      int scale = scales[m];
      if (scale < 0 || scale > MAX_SCALE) {
        throw new IllegalArgumentException("scale of metric " + m + " must be 0.." + MAX_SCALE + ", not " + scale);
      }
      out.write(scale);
      byte[] present = null;
      for (int i = 0; i < samples; i++) {
        if (Double.isNaN(rows[i][m])) {
          if (present == null) {
            present = new byte[(samples + 7) / 8];
            for (int k = 0; k < samples; k++) {
              if (!Double.isNaN(rows[k][m])) {
                present[k >> 3] |= (byte) (1 << (k & 7));
              }
            }
          }
        }
      }
      out.write(present == null ? 0 : 1);
      if (present != null) {
        out.write(present, 0, present.length);
      }
      long prev = 0;
      for (int i = 0; i < samples; i++) {
        double v = rows[i][m];
        if (Double.isNaN(v)) {
          continue;
        }
        if (Double.isInfinite(v)) {
          throw new IllegalArgumentException("sample " + i + " of metric " + m + " is infinite");
        }
        double scaled = v * POW10[scale];
        if (!(Math.abs(scaled) <= MAX_Q)) {
          throw new IllegalArgumentException("sample " + i + " of metric " + m + " (" + v + ") is too large for scale "
              + scale);
        }
        long q = Math.round(scaled);
        long d = q - prev;
        varint(out, (d << 1) ^ (d >> 63));
        prev = q;
      }
    }
    return out.toByteArray();
  }

  /** {@link #encode} as the base64 text (RFC 4648, padded) of {@link TelemetrySamplesV1#encoded()}. */
  public static String encodeBase64(double[][] rows, int[] scales) {
    return Base64.getEncoder().encodeToString(encode(rows, scales));
  }

  /** Decodes a block into {@code [sample][metric]}, NaN where a sample is missing. */
  public static double[][] decode(byte[] block) {
    Reader r = new Reader(block);
    Header h = r.header();
    double[][] rows = new double[h.samples()][h.metrics()];
    for (int m = 0; m < h.metrics(); m++) {
      int scale = r.scale(m);
      byte[] present = r.presence(m, h.samples());
      long q = 0;
      for (int i = 0; i < h.samples(); i++) {
        if (present != null && (present[i >> 3] & (1 << (i & 7))) == 0) {
          rows[i][m] = Double.NaN;
          continue;
        }
        long z = r.varint();
        q += (z >>> 1) ^ -(z & 1);
        if (q > MAX_Q || q < -MAX_Q) {
          throw new MalformedBlockException("sample " + i + " of metric " + m + " is out of range");
        }
        rows[i][m] = scale == 0 ? q : q / POW10[scale];
      }
    }
    r.end();
    return rows;
  }

  /** Decodes the base64 text of {@link TelemetrySamplesV1#encoded()}. */
  public static double[][] decodeBase64(String encoded) {
    return decode(base64(encoded));
  }

  /**
   * As {@link #base64(String)}, for base64 text held as bytes ({@code len} from {@code off}, as in a
   * request body): the same verdicts, without a string of them.
   */
  public static byte[] base64(byte[] text, int off, int len) {
    try {
      java.nio.ByteBuffer out = Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(text, off, len));
      return out.remaining() == out.capacity() && out.arrayOffset() == 0 ? out.array()
          : java.util.Arrays.copyOfRange(out.array(), out.arrayOffset() + out.position(), out.arrayOffset() + out.limit());
    } catch (IllegalArgumentException e) {
      throw new MalformedBlockException("not base64: " + e.getMessage());
    }
  }

  /** Base64 text to bytes; {@link MalformedBlockException} when it is not base64. */
  public static byte[] base64(String encoded) {
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new MalformedBlockException("not base64: " + e.getMessage());
    }
  }

  /**
   * Checks a block's structure without computing a value: the header, each column's scale, flags
   * and presence bytes, exactly one well-formed varint per present sample, and nothing after the
   * last column. Returns the header.
   */
  public static Header validate(byte[] block) {
    Reader r = new Reader(block);
    Header h = r.header();
    for (int m = 0; m < h.metrics(); m++) {
      r.scale(m);
      byte[] present = r.presence(m, h.samples());
      int n = h.samples();
      if (present != null) {
        n = 0;
        for (byte b : present) {
          n += Integer.bitCount(b & 0xff);
        }
      }
      r.skipVarints(n);
    }
    r.end();
    return h;
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static final class Reader {
    private static final java.lang.invoke.VarHandle LONG_LE =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      if (b == null || b.length == 0) {
        throw new MalformedBlockException("empty block");
      }
      this.b = b;
    }

    Header header() {
      int version = b[pos++] & 0xff;
      if (version != VERSION) {
        throw new MalformedBlockException("unknown block version " + version);
      }
      long samples = varint();
      long metrics = varint();
      if (samples < 0 || metrics < 0 || samples > MAX_VALUES || metrics > MAX_VALUES
          || samples * metrics > MAX_VALUES) {
        throw new MalformedBlockException("header out of bounds: " + samples + " samples × " + metrics + " metrics");
      }
      // every column takes at least 2 bytes, every present sample at least one
      if (metrics * 2 > b.length - pos) {
        throw new MalformedBlockException("block too short for " + metrics + " metrics");
      }
      return new Header((int) samples, (int) metrics);
    }

    int scale(int m) {
      int scale = next("scale of metric " + m);
      if (scale > MAX_SCALE) {
        throw new MalformedBlockException("scale of metric " + m + " is " + scale + ", above " + MAX_SCALE);
      }
      return scale;
    }

    byte[] presence(int m, int samples) {
      int flags = next("flags of metric " + m);
      if (flags == 0) {
        return null;
      }
      if (flags != 1) {
        throw new MalformedBlockException("flags of metric " + m + " are " + flags + ", not 0 or 1");
      }
      int len = (samples + 7) / 8;
      if (len > b.length - pos) {
        throw new MalformedBlockException("block ends inside the presence bits of metric " + m);
      }
      byte[] present = java.util.Arrays.copyOfRange(b, pos, pos + len);
      pos += len;
      if ((samples & 7) != 0 && (present[len - 1] & 0xff) >>> (samples & 7) != 0) {
        throw new MalformedBlockException("presence bits of metric " + m + " name samples past the count");
      }
      return present;
    }

    int next(String what) {
      if (pos >= b.length) {
        throw new MalformedBlockException("block ends before the " + what);
      }
      return b[pos++] & 0xff;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= b.length) {
          throw new MalformedBlockException("block ends inside a value at byte " + pos);
        }
        int x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new MalformedBlockException("varint longer than 10 bytes at byte " + pos);
    }

    /**
     * Skips {@code n} well-formed varints. A varint ends at a byte with its high bit clear, so
     * skipping them is counting such bytes: eight at a time, from a little-endian long, while the
     * word cannot hold the last one; then byte by byte. {@code run} counts the continuation bytes
     * just behind {@code pos}: ten in a row is a varint longer than 10 bytes (a word that could
     * complete such a run is left to the byte loop, which names the byte).
     */
    void skipVarints(int n) {
      int left = n;
      int run = 0;
      while (left > 8 && pos + 8 <= b.length) {
        long ends = ~(long) LONG_LE.get(b, pos) & 0x8080808080808080L;
        int count = Long.bitCount(ends);
        if (count >= left || run + Long.numberOfTrailingZeros(ends) / 8 >= 10) {
          break; // the column may end inside this word, or a run of ten may: byte by byte from here
        }
        run = ends == 0 ? run + 8 : Long.numberOfLeadingZeros(ends) / 8;
        left -= count;
        pos += 8;
      }
      while (left > 0) {
        if (pos >= b.length) {
          throw new MalformedBlockException("block ends inside a value at byte " + pos);
        }
        if (b[pos++] >= 0) {
          left--;
          run = 0;
        } else if (++run >= 10) {
          throw new MalformedBlockException("varint longer than 10 bytes at byte " + pos);
        }
      }
    }

    void end() {
      if (pos != b.length) {
        throw new MalformedBlockException((b.length - pos) + " bytes after the last column");
      }
    }
  }
}
