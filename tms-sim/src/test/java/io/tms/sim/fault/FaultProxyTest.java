package io.tms.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tms.sim.fault.FaultProxy.Direction;
import io.tms.testkit.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each mode of the proxy against a real echo server on loopback. */
class FaultProxyTest {
  private final EchoServer echo = new EchoServer();
  private final FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void pass_forwards_both_ways() throws Exception {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
      assertThat(roundTrip(s, "again")).isEqualTo("again");
    }
    // counted after each write returns, so possibly just after the client read the echo
    awaitTrue(() -> proxy.bytesForwarded(Direction.DOWNSTREAM) == 10);
    assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(10);
  }

  @Test
  void cut_closes_connections_and_refuses_new_ones_until_restored() throws Exception {
    Socket s = connect();
    assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    proxy.cut();
    s.setSoTimeout(10_000);
    assertThat(readOrFailure(s.getInputStream())).isIn(-1, -2); // EOF or reset: the connection is gone
    s.close();
    assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);

    proxy.pass();
    try (Socket again = connect()) {
      assertThat(roundTrip(again, "back")).isEqualTo("back");
    }
  }

  @Test
  void delay_adds_latency_in_each_direction() throws Exception {
    try (Socket s = connect()) {
      roundTrip(s, "warm");
      proxy.delay(Direction.UPSTREAM, Duration.ofMillis(150));
      proxy.delay(Direction.DOWNSTREAM, Duration.ofMillis(100));
      long t0 = System.nanoTime();
      assertThat(roundTrip(s, "slow")).isEqualTo("slow");
      // a lower bound only: the answer cannot come back before both delays passed
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
      proxy.pass();
      assertThat(roundTrip(s, "fast")).isEqualTo("fast");
    }
  }

  @Test
  void reset_aborts_connections_with_rst() throws Exception {
    Socket s = connect();
    assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    proxy.reset();
    s.setSoTimeout(10_000);
    assertThatThrownBy(() -> {
      s.getInputStream().read();
      s.getOutputStream().write(1); // if the read saw nothing yet, a write after RST fails
      s.getOutputStream().write(1);
    }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    s.close();
    try (Socket fresh = connect()) { // new connections are reset too
      fresh.setSoTimeout(10_000);
      assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketException.class);
    }
    proxy.pass();
    try (Socket again = connect()) {
      assertThat(roundTrip(again, "ok")).isEqualTo("ok");
    }
  }

  @Test
  void black_hole_accepts_and_reads_but_never_forwards_or_answers() throws Exception {
    proxy.blackHole();
    try (Socket s = connect()) {
      s.getOutputStream().write("anyone there?".getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      s.setSoTimeout(300);
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(echo.received()).isZero();
    assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    proxy.pass();
    try (Socket again = connect()) {
      assertThat(roundTrip(again, "light")).isEqualTo("light");
    }
  }

  @Test
  void cut_after_n_bytes_aborts_the_connection_mid_stream_once() throws Exception {
    proxy.cutAfter(Direction.UPSTREAM, 10);
    try (Socket s = connect()) {
      s.getOutputStream().write(new byte[100]);
      s.getOutputStream().flush();
      awaitTrue(() -> echo.received() >= 10);
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      int got = 0;
      while (readOrFailure(in) >= 0) {
        got++;
      }
      assertThat(got).isLessThanOrEqualTo(10);
    }
    awaitTrue(() -> proxy.openConnections() == 0);
    assertThat(echo.received()).isEqualTo(10); // exactly the bytes let through, then the cut
    try (Socket again = connect()) { // the cut happens once
      assertThat(roundTrip(again, "whole")).isEqualTo("whole");
    }
  }

  @Test
  void close_stops_listening_and_drops_connections() throws Exception {
    Socket s = connect();
    assertThat(roundTrip(s, "hi")).isEqualTo("hi");
    proxy.close();
    s.setSoTimeout(10_000);
    assertThat(readOrFailure(s.getInputStream())).isIn(-1, -2);
    s.close();
    assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(out);
    s.getOutputStream().flush();
    byte[] in = s.getInputStream().readNBytes(out.length);
    return new String(in, StandardCharsets.UTF_8);
  }

  /** A byte, -1 at EOF, -2 when the connection failed (reset). */
  private static int readOrFailure(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no EOF nor reset within the timeout", e);
    } catch (IOException e) {
      return -2;
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    Eventually.until("the proxy reaches the expected state", java.time.Duration.ofSeconds(30), condition);
  }


  /** Echoes every byte back; counts what it received. */
  static final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicLong received = new AtomicLong();

    EchoServer() {
      try {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try {
            Socket c = server.accept();
            Thread.ofVirtual().start(() -> serve(c));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private void serve(Socket c) {
      try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
          received.addAndGet(n);
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the proxy cut or reset us
      }
    }

    int port() {
      return server.getLocalPort();
    }

    long received() {
      return received.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
