package io.tms.sim.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback between an agent and the cloud whose behaviour tests change at runtime:
 *
 * <ul>
 *   <li>{@link #pass()} — forward both ways (and clear every fault);
 *   <li>{@link #cut()} — close every connection and refuse new ones (nothing listens) until
 *       {@link #pass()};
 *   <li>{@link #delay(Direction, Duration)} — add latency to each chunk in one direction (ordered,
 *       without capping throughput);
 *   <li>{@link #reset()} — abort every connection with a TCP RST ({@code SO_LINGER 0}), and each new
 *       one as it arrives;
 *   <li>{@link #blackHole()} — accept and read, never forward nor answer (current connections stop
 *       too, and stay broken: what was swallowed is gone);
 *   <li>{@link #cutAfter(Direction, long)} — the next N bytes in that direction pass, then the
 *       connection carrying them is aborted mid-stream (once), e.g. in the middle of an uplink batch.
 * </ul>
 *
 * <p>Thread-safe; a virtual thread per connection direction. {@link #close()} stops everything.
 */
public final class FaultProxy implements AutoCloseable {
  /** UPSTREAM: client → target (requests); DOWNSTREAM: target → client (answers). */
  public enum Direction { UPSTREAM, DOWNSTREAM }

  public enum Mode { PASS, CUT, RESET, BLACK_HOLE }

  private static final byte[] EOF = new byte[0];

  private final String targetHost;
  private final int targetPort;
  private final InetAddress bind = InetAddress.getLoopbackAddress();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Map<Direction, Long> delayNanos = new EnumMap<>(Map.of(Direction.UPSTREAM, 0L, Direction.DOWNSTREAM, 0L));
  private final Map<Direction, AtomicLong> cutBudget = Map.of(
      Direction.UPSTREAM, new AtomicLong(-1), Direction.DOWNSTREAM, new AtomicLong(-1));
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong bytesDown = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private final int port;
  private ServerSocket server;
  private Thread acceptor;
  private boolean closed;

  private FaultProxy(String targetHost, int targetPort, int port) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = listen(port);
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  /** A proxy on a free loopback port forwarding to {@code targetHost:targetPort}. */
  public static FaultProxy start(String targetHost, int targetPort) {
    return new FaultProxy(targetHost, targetPort, 0);
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}, for pointing an agent at the proxy. */
  public URI httpUri() {
    return URI.create("http://" + bind.getHostAddress() + ":" + port);
  }

  public Mode mode() {
    return mode;
  }

  /** Forward normally; clears delays and armed cuts, listens again after a cut. */
  public synchronized void pass() {
    delayNanos.replaceAll((d, v) -> 0L);
    cutBudget.values().forEach(b -> b.set(-1));
    mode = Mode.PASS;
    if (server == null && !closed) {
      server = listen(port);
      acceptLoop(server);
    }
  }

  /** Closes every connection and stops listening, so new connections are refused. */
  public synchronized void cut() {
    mode = Mode.CUT;
    closeServer();
    connections.forEach(Connection::close);
  }

  /** Aborts every connection with RST, and each new one as it arrives, until {@link #pass()}. */
  public synchronized void reset() {
    mode = Mode.RESET;
    connections.forEach(Connection::abort);
  }

  /** Swallows everything: connections are accepted and read, nothing is forwarded or answered. */
  public synchronized void blackHole() {
    mode = Mode.BLACK_HOLE;
    connections.forEach(c -> c.blackHoled = true);
  }

  /** Adds {@code latency} to every chunk sent in {@code direction} from now on. */
  public synchronized void delay(Direction direction, Duration latency) {
    delayNanos.put(direction, latency.toNanos());
  }

  /** Lets the next {@code bytes} in {@code direction} through, then aborts that connection (once). */
  public void cutAfter(Direction direction, long bytes) {
    cutBudget.get(direction).set(bytes);
  }

  public long connectionsAccepted() {
    return accepted.get();
  }

  public int openConnections() {
    return connections.size();
  }

  public long bytesForwarded(Direction direction) {
    return direction == Direction.UPSTREAM ? bytesUp.get() : bytesDown.get();
  }

  private ServerSocket listen(int p) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(bind, p), 512);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("fault proxy cannot listen on port " + p, e);
    }
  }

  /**
   * Stops listening. Waits for the accept loop to end: a socket closed while a (virtual) thread is
   * blocked in accept may be released only when that thread wakes, and until then the port could
   * still take connections.
   */
  private void closeServer() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      server = null;
      try {
        acceptor.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void acceptLoop(ServerSocket s) {
    acceptor = Thread.ofVirtual().name("fault-proxy-accept-" + s.getLocalPort()).start(() -> {
      while (!s.isClosed()) {
        Socket client;
        try {
          client = s.accept();
        } catch (IOException e) {
          return; // closed by cut() or close()
        }
        accepted.incrementAndGet();
        Thread.ofVirtual().name("fault-proxy-conn").start(() -> open(client));
      }
    });
  }

  private void open(Socket client) {
    Connection c = new Connection(client);
    connections.add(c);
    try {
      client.setTcpNoDelay(true);
      switch (mode) {
        case CUT -> c.close();
        case RESET -> c.abort();
        case BLACK_HOLE -> {
          c.blackHoled = true;
          pump(c, client.getInputStream(), null, Direction.UPSTREAM);
        }
        case PASS -> {
          Socket upstream = new Socket();
          upstream.setTcpNoDelay(true);
          upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
          c.upstream = upstream;
          if (mode != Mode.PASS) { // faulted while connecting
            fault(c);
            return;
          }
          Thread.ofVirtual().name("fault-proxy-down").start(() -> {
            try {
              pump(c, upstream.getInputStream(), client, Direction.DOWNSTREAM);
            } catch (IOException e) {
              c.close();
            }
          });
          pump(c, client.getInputStream(), upstream, Direction.UPSTREAM);
        }
      }
    } catch (IOException e) {
      c.close();
    }
  }

  /** A connection faulted between accept and upstream connect gets the fault now in force. */
  private void fault(Connection c) {
    switch (mode) {
      case RESET -> c.abort();
      case BLACK_HOLE -> c.blackHoled = true;
      default -> c.close();
    }
  }

  /**
   * Reads chunks from {@code in} and hands them to a writer that sends each when its delay is due
   * (so latency does not cap throughput). {@code to} null: swallow everything.
   */
  private void pump(Connection c, InputStream in, Socket to, Direction dir) throws IOException {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    OutputStream out = to == null ? null : to.getOutputStream();
    Thread writer = to == null ? null : Thread.ofVirtual().name("fault-proxy-write").start(
        () -> write(c, queue, to, out, dir));
    byte[] buf = new byte[16 * 1024];
    try {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          c.close();
          return;
        }
        if (n < 0) {
          queue.add(new Chunk(EOF, 0));
          return;
        }
        if (c.blackHoled || out == null) {
          continue;
        }
        byte[] data = Arrays.copyOf(buf, n);
        AtomicLong budget = cutBudget.get(dir);
        long left = budget.get();
        boolean cutHere = false;
        if (left >= 0) {
          if (n >= left && budget.compareAndSet(left, -1)) {
            data = Arrays.copyOf(buf, (int) left);
            cutHere = true;
          } else if (n < left) {
            budget.addAndGet(-n);
          }
        }
        long due = System.nanoTime() + delayNanos.get(dir);
        queue.add(new Chunk(data, due));
        if (cutHere) {
          queue.add(new Chunk(null, due)); // abort once what was let through is written
          return;
        }
      }
    } finally {
      if (writer == null) {
        c.close();
      }
    }
  }

  private void write(Connection c, BlockingQueue<Chunk> queue, Socket to, OutputStream out, Direction dir) {
    try {
      while (true) {
        Chunk chunk = queue.take();
        long wait = chunk.due - System.nanoTime();
        while (wait > 0) {
          LockSupport.parkNanos(wait);
          wait = chunk.due - System.nanoTime();
        }
        if (chunk.data == null) {
          c.abort();
          return;
        }
        if (chunk.data == EOF) {
          c.halfClose(to);
          return;
        }
        if (c.blackHoled) {
          continue;
        }
        out.write(chunk.data);
        out.flush();
        (dir == Direction.UPSTREAM ? bytesUp : bytesDown).addAndGet(chunk.data.length);
      }
    } catch (IOException e) {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Chunk(byte[] data, long due) {}

  /** One client connection and its upstream; closing either way closes both. */
  private final class Connection {
    final Socket client;
    volatile Socket upstream;
    volatile boolean blackHoled;
    private int halfClosed;

    Connection(Socket client) {
      this.client = client;
    }

    /** One direction ended: pass the FIN on; when both have, the connection is done. */
    synchronized void halfClose(Socket s) {
      try {
        s.shutdownOutput();
      } catch (IOException e) {
        close();
        return;
      }
      if (++halfClosed == 2) {
        close();
      }
    }

    void abort() {
      for (Socket s : new Socket[] {client, upstream}) {
        if (s != null) {
          try {
            s.setSoLinger(true, 0);
          } catch (IOException ignored) {
            // already closed
          }
        }
      }
      close();
    }

    void close() {
      connections.remove(this);
      for (Socket s : new Socket[] {client, upstream}) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    mode = Mode.CUT;
    closeServer();
    connections.forEach(Connection::close);
  }
}
