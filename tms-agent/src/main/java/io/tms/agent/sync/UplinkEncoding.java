package io.tms.agent.sync;

import com.github.luben.zstd.Zstd;
import java.util.Locale;

/**
 * How an uplink batch is compressed ({@code Content-Encoding}). zstd level 1 costs a third of gzip
 * level 1's CPU at both ends and sends fewer bytes (measured in docs/sync-protocol.md#compression);
 * gzip stays for clouds that answer zstd with 415. {@link BatchCompressor} compresses. Stateless.
 */
public enum UplinkEncoding {
  ZSTD("zstd"),
  GZIP("gzip");

  private final String header;

  UplinkEncoding(String header) {
    this.header = header;
  }

  /** The {@code Content-Encoding} value. */
  public String header() {
    return header;
  }

  /** {@code zstd} or {@code gzip}, as in {@code TMS_UPLINK_COMPRESSION}. */
  public static UplinkEncoding parse(String key, String value) {
    for (UplinkEncoding e : values()) {
      if (e.header.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException(key + " must be zstd or gzip (was " + value + ")");
  }

  /**
   * Whether zstd's native library loads here (the jar carries it for linux-x86_64 and others; it is
   * unpacked into {@code java.io.tmpdir}). When it does not, the agent sends gzip.
   */
  static boolean zstdAvailable() {
    try {
      zstdLoaded = Zstd.defaultCompressionLevel() > 0;
      return zstdLoaded;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  private static volatile boolean zstdLoaded;

  /** Whether {@link #zstdAvailable()} has found zstd working in this process already. */
  static boolean zstdLoaded() {
    return zstdLoaded;
  }

  /** Whether an {@code Accept-Encoding} answer (RFC 7694) lists this coding. */
  boolean acceptedBy(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String coding = part.trim();
      int semi = coding.indexOf(';');
      if ((semi < 0 ? coding : coding.substring(0, semi).trim()).equalsIgnoreCase(header)) {
        return !coding.replace(" ", "").endsWith(";q=0");
      }
    }
    return false;
  }
}
