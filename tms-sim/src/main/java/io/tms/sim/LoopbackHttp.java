package io.tms.sim;

import io.tms.agent.security.SeedTerminals;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client for load generation: one keep-alive connection, requests written as
 * bytes, responses read by {@code Content-Length} (or chunked). The JDK client costs more CPU per
 * request than the agent under test does, which on a 2-core machine would measure the client; this
 * one costs a few microseconds. Not thread-safe: one per simulated terminal.
 */
public final class LoopbackHttp implements AutoCloseable {
  private final String host;
  private final int port;
  private final String authorization;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  // Our own read buffer: BufferedInputStream takes a lock per read() call, i.e. per header byte.
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int limit;

  public record Response(int status, String body) {}

  /** A client that calls as the seed simulator terminal ({@link SeedTerminals}), which every seeded site has. */
  public LoopbackHttp(URI base) {
    this(base, SeedTerminals.SIMULATOR_SECRET);
  }

  /** A client that presents {@code terminalSecret} as its terminal credential. */
  public LoopbackHttp(URI base, String terminalSecret) {
    this.host = base.getHost();
    this.port = base.getPort();
    this.authorization = "\r\nAuthorization: Bearer " + terminalSecret;
  }

  public Response post(String path, String body, String idempotencyKey) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + authorization
        + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
        + (idempotencyKey == null ? "" : "\r\nIdempotency-Key: " + idempotencyKey) + "\r\n\r\n";
    return exchange(head.getBytes(StandardCharsets.US_ASCII), payload);
  }

  public Response get(String path) throws IOException {
    String head = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + authorization + "\r\n\r\n";
    return exchange(head.getBytes(StandardCharsets.US_ASCII), new byte[0]);
  }

  private Response exchange(byte[] head, byte[] payload) throws IOException {
    for (int attempt = 0; ; attempt++) {
      boolean fresh = socket == null;
      try {
        connect();
        out.write(head);
        out.write(payload);
        out.flush();
        return read();
      } catch (IOException e) {
        close();
        // a kept-alive connection the server closed meanwhile: retry once on a new one
        if (fresh || attempt > 0) {
          throw e;
        }
      }
    }
  }

  /** A loopback client socket as both bench clients use it: no Nagle delay, 5 s to connect, 30 s reads. */
  static Socket open(String host, int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = open(host, port);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      pos = 0;
      limit = 0;
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
        buf.write(bytes(size));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
      body = buf.toByteArray();
    } else if (length >= 0) {
      body = bytes((int) length);
    } else {
      ByteArrayOutputStream rest = new ByteArrayOutputStream();
      rest.write(buf, pos, limit - pos);
      pos = limit;
      in.transferTo(rest);
      body = rest.toByteArray();
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, new String(body, StandardCharsets.UTF_8));
  }

  /** The next line without its CR LF (headers are ASCII). */
  private String line() throws IOException {
    StringBuilder sb = null;
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          if (sb == null) {
            return part;
          }
          // a CR may have ended the previous chunk
          return sb.append(part).toString().replace("\r", "");
        }
      }
      if (sb == null) {
        sb = new StringBuilder(64);
      }
      sb.append(new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1));
      pos = limit;
      fill();
    }
  }

  /** Exactly {@code n} bytes of the response. */
  private byte[] bytes(int n) throws IOException {
    byte[] out = new byte[n];
    int have = Math.min(n, limit - pos);
    System.arraycopy(buf, pos, out, 0, have);
    pos += have;
    while (have < n) {
      int r = in.read(out, have, n - have);
      if (r < 0) {
        throw new IOException("connection closed in the body");
      }
      have += r;
    }
    return out;
  }

  private void fill() throws IOException {
    int r = in.read(buf, 0, buf.length);
    if (r < 0) {
      throw new IOException("connection closed");
    }
    pos = 0;
    limit = r;
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
