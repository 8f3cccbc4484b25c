package io.tms.sim;

import static io.tms.sim.AsciiBuffer.ascii;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One bench terminal's keep-alive HTTP/1.1 connection, made to cost the load generator as little
 * CPU as it can, since it shares two cores with the agent it measures. A request is assembled in
 * one reusable buffer from parts prepared once (request line, Host, the terminal credential,
 * Content-Type) plus the path, Content-Length, Idempotency-Key and body of the call, and sent in
 * one write (one syscall, one TCP segment). The answer is read into a reusable buffer and only
 * what the terminal needs is looked at: the status, Content-Length (or chunked framing) and, on
 * request, a top-level string or boolean field of the JSON body found by its bytes, with no JSON
 * tree and no String unless asked for. Meant for a blocking socket on a platform thread. Not
 * thread-safe: one per terminal.
 */
final class BenchConnection implements AutoCloseable {
  private static final byte[] POST = ascii("POST ");
  private static final byte[] KEY = ascii("\r\nIdempotency-Key: ");
  private static final byte[] END = ascii("\r\n\r\n");

  private final String host;
  private final int port;
  /** " HTTP/1.1", Host, Authorization, Content-Type, and the name of Content-Length. */
  private final byte[] headers;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  private final AsciiBuffer request = new AsciiBuffer(2048);
  private byte[] buf = new byte[16 * 1024];
  /** Bytes in {@link #buf} that follow the last answer (none with a request-answer client, kept anyway). */
  private int limit;
  private int consumed;
  private byte[] chunked = new byte[0];

  // the last answer
  private int status;
  private byte[] body;
  private int bodyFrom;
  private int bodyLength;

  BenchConnection(URI base, String terminalSecret) {
    this.host = base.getHost();
    this.port = base.getPort();
    this.headers = ascii(" HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + terminalSecret
        + "\r\nContent-Type: application/json\r\nContent-Length: ");
  }

  /**
   * {@code POST path} with a JSON body and an Idempotency-Key; returns the answer's status. The
   * answer stays readable through {@link #stringField} and friends until the next call.
   */
  int post(AsciiBuffer path, AsciiBuffer json, AsciiBuffer idempotencyKey) throws IOException {
    request.clear().append(POST).append(path).append(headers).append(json.length())
        .append(KEY).append(idempotencyKey).append(END).append(json);
    for (int attempt = 0; ; attempt++) {
      boolean fresh = socket == null;
      try {
        connect();
        out.write(request.array(), 0, request.length());
        read();
        return status;
      } catch (IOException e) {
        close();
        // a kept-alive connection the server closed meanwhile: retry once on a new one
        if (fresh || attempt > 0) {
          throw e;
        }
      }
    }
  }

  int status() {
    return status;
  }

  /**
   * Appends to {@code into} the value of the first string field {@code "name":"…"} of the answer
   * (ids: no escapes); false when there is none or it is empty.
   */
  boolean stringField(byte[] quotedNameColon, AsciiBuffer into) {
    int at = indexOf(quotedNameColon);
    if (at < 0) {
      return false;
    }
    int from = at + quotedNameColon.length;
    int end = bodyFrom + bodyLength;
    if (from >= end || body[from] != '"') {
      return false;
    }
    from++;
    for (int i = from; i < end; i++) {
      if (body[i] == '\\') {
        return false;
      }
      if (body[i] == '"') {
        into.append(body, from, i - from);
        return i > from;
      }
    }
    return false;
  }

  /** Whether the answer has the field {@code "name":true}. */
  boolean isTrue(byte[] quotedNameColon) {
    int at = indexOf(quotedNameColon);
    int from = at + quotedNameColon.length;
    return at >= 0 && from + 4 <= bodyFrom + bodyLength
        && body[from] == 't' && body[from + 1] == 'r' && body[from + 2] == 'u' && body[from + 3] == 'e';
  }

  /** The answer's body as text (for the rare answers that are looked at closely: refusals, denials). */
  String body() {
    return new String(body, bodyFrom, bodyLength, StandardCharsets.UTF_8);
  }

  /** {@code "name":} as bytes, to find a field with. */
  static byte[] field(String name) {
    return ascii("\"" + name + "\":");
  }

  private int indexOf(byte[] pattern) {
    int last = bodyFrom + bodyLength - pattern.length;
    byte first = pattern[0];
    outer:
    for (int i = bodyFrom; i <= last; i++) {
      if (body[i] != first) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (body[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = LoopbackHttp.open(host, port);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      limit = 0;
      consumed = 0;
    }
  }

  /** Reads one answer: the head up to its blank line, then the body by its framing. */
  private void read() throws IOException {
    // drop the previous answer, keep anything read past it
    if (consumed > 0) {
      System.arraycopy(buf, consumed, buf, 0, limit - consumed);
      limit -= consumed;
      consumed = 0;
    }
    int headEnd;
    int scanned = 0;
    while ((headEnd = headEnd(scanned)) < 0) {
      scanned = Math.max(0, limit - 3);
      fill();
    }
    if (limit < 12 || !startsWith(0, "HTTP/1.1 ")) {
      throw new IOException("bad status line");
    }
    status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    long length = -1;
    boolean isChunked = false;
    boolean close = false;
    for (int line = lineEnd(0) + 2; line < headEnd; line = lineEnd(line) + 2) {
      int eol = lineEnd(line);
      if (nameIs(line, eol, "content-length")) {
        length = 0;
        for (int i = valueFrom(line, eol); i < eol && buf[i] >= '0' && buf[i] <= '9'; i++) {
          length = length * 10 + (buf[i] - '0');
        }
      } else if (nameIs(line, eol, "transfer-encoding")) {
        isChunked = valueIs(line, eol, "chunked");
      } else if (nameIs(line, eol, "connection")) {
        close = valueIs(line, eol, "close");
      }
    }
    int bodyStart = headEnd + 4;
    if (isChunked) {
      readChunked(bodyStart);
    } else if (length >= 0) {
      ensureRead(bodyStart + (int) length);
      body = buf;
      bodyFrom = bodyStart;
      bodyLength = (int) length;
      consumed = bodyStart + (int) length;
    } else {
      throw new IOException("an answer without Content-Length or chunked framing");
    }
    if (close) {
      // the body stays readable: it was copied out of the socket already
      byte[] kept = Arrays.copyOfRange(body, bodyFrom, bodyFrom + bodyLength);
      close();
      body = kept;
      bodyFrom = 0;
    }
  }

  private void readChunked(int at) throws IOException {
    int n = 0;
    while (true) {
      int eol;
      while ((eol = find(at, '\n')) < 0) {
        fill();
      }
      int size = 0;
      for (int i = at; i < eol; i++) {
        int d = Character.digit(buf[i], 16);
        if (d < 0) {
          break; // ';' extensions or the CR
        }
        size = size * 16 + d;
      }
      at = eol + 1;
      if (size == 0) {
        // trailers up to the blank line
        while (true) {
          while ((eol = find(at, '\n')) < 0) {
            fill();
          }
          boolean blank = eol == at || (eol == at + 1 && buf[at] == '\r');
          at = eol + 1;
          if (blank) {
            break;
          }
        }
        break;
      }
      ensureRead(at + size + 2);
      if (chunked.length < n + size) {
        chunked = Arrays.copyOf(chunked, Math.max(chunked.length * 2, n + size));
      }
      System.arraycopy(buf, at, chunked, n, size);
      n += size;
      at += size + 2;
    }
    body = chunked;
    bodyFrom = 0;
    bodyLength = n;
    consumed = at;
  }

  private int headEnd(int from) {
    for (int i = from; i + 3 < limit; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private int lineEnd(int from) {
    for (int i = from; i + 1 < limit; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n') {
        return i;
      }
    }
    return limit;
  }

  private int find(int from, char c) {
    for (int i = from; i < limit; i++) {
      if (buf[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private boolean startsWith(int at, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (buf[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean nameIs(int line, int eol, String lowerName) {
    int n = lowerName.length();
    if (line + n >= eol || buf[line + n] != ':') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (Character.toLowerCase(buf[line + i]) != lowerName.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int valueFrom(int line, int eol) {
    int i = line;
    while (i < eol && buf[i] != ':') {
      i++;
    }
    i++;
    while (i < eol && (buf[i] == ' ' || buf[i] == '\t')) {
      i++;
    }
    return i;
  }

  private boolean valueIs(int line, int eol, String lowerValue) {
    int from = valueFrom(line, eol);
    int to = eol;
    while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
      to--;
    }
    if (to - from != lowerValue.length()) {
      return false;
    }
    for (int i = 0; i < lowerValue.length(); i++) {
      if (Character.toLowerCase(buf[from + i]) != lowerValue.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Reads until at least {@code end} bytes are in the buffer. */
  private void ensureRead(int end) throws IOException {
    if (end > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end));
    }
    while (limit < end) {
      fill();
    }
  }

  private void fill() throws IOException {
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int r = in.read(buf, limit, buf.length - limit);
    if (r < 0) {
      throw new IOException("connection closed");
    }
    limit += r;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
