package io.tms.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback that stands for the site's internet link: while it is down, every
 * connection is closed as soon as it is accepted (the agent sees the cloud unreachable); while it
 * is up, bytes flow both ways to the target port. {@link #down()} also cuts the connections in
 * flight. Thread-safe.
 */
public final class LinkSwitch implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean up;
  private volatile boolean closed;

  public LinkSwitch(int targetPort, boolean up) throws IOException {
    this.targetPort = targetPort;
    this.up = up;
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("link-switch").start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void up() {
    up = true;
  }

  public void down() {
    up = false;
    for (Socket s : open) {
      quietClose(s);
    }
  }

  /**
   * While the link is down: returns once every connection already waiting to be accepted has been
   * refused, so that none of them reaches the cloud when the link comes up. Connects once itself
   * and waits for that connection to be refused: the accept queue is first in, first out.
   */
  public void refuseQueued(Duration max) throws IOException {
    if (up) {
      throw new IllegalStateException("the link is up");
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), (int) max.toMillis());
      probe.setSoTimeout((int) max.toMillis());
      if (probe.getInputStream().read() != -1) {
        throw new IllegalStateException("a connection got through a link that is down");
      }
    } catch (java.net.SocketException refused) {
      // reset by the switch: refused, as every connection queued before it
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (!up) {
          client.setSoLinger(true, 0);
          client.close();
          continue;
        }
        Socket target = new Socket();
        target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 3_000);
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        open.add(client);
        open.add(target);
        Thread.ofVirtual().start(() -> pump(client, target));
        Thread.ofVirtual().start(() -> pump(target, client));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // either side went away: close both
    } finally {
      quietClose(from);
      quietClose(to);
    }
  }

  private void quietClose(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    down();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
