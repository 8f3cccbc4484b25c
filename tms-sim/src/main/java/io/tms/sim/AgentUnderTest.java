package io.tms.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent running as its own process, started with a command line (normally {@code tms agent}).
 * It is ready when it prints its {@code ready on http://host:port} line, which gives the port.
 */
public final class AgentUnderTest implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("ready on (http://\\S+)");

  private final Process process;
  private final URI base;
  private final Duration startToReady;

  private AgentUnderTest(Process process, URI base, Duration startToReady) {
    this.process = process;
    this.base = base;
    this.startToReady = startToReady;
  }

  /** Starts the command and waits (up to {@code timeout}) for its ready line. */
  public static AgentUnderTest start(List<String> command, Path log, Duration timeout) throws IOException {
    return start(command, java.util.Map.of(), log, timeout);
  }

  /**
   * As {@link #start(List, Path, Duration)} with extra environment variables (a cloud replica,
   * {@code io.tms.api.CloudMain}, is configured this way and prints the same ready line).
   */
  public static AgentUnderTest start(List<String> command, java.util.Map<String, String> env, Path log,
      Duration timeout) throws IOException {
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<URI> ready = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("agent-output").start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          out.write(line);
          out.newLine();
          out.flush();
          Matcher m = READY.matcher(line);
          if (!ready.isDone() && m.find()) {
            ready.complete(URI.create(m.group(1) + "/"));
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IOException("agent exited before it was ready; see " + log));
    });
    try {
      URI base = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new AgentUnderTest(p, base, Duration.ofNanos(System.nanoTime() - t0));
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("agent not ready within " + timeout + ": " + e.getMessage() + " (log: " + log + ")", e);
    }
  }

  public URI base() {
    return base;
  }

  public Duration startToReady() {
    return startToReady;
  }

  public long pid() {
    return process.pid();
  }

  /** The process, to watch it ({@code onExit}, {@code isAlive}) or reach its descendants. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Resident set size in MiB from /proc (Linux), or NaN elsewhere. */
  public double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** CPU time (user + system) the process used so far, in seconds; NaN when the OS does not say. */
  public double cpuSeconds() {
    return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  /** As {@link #cpuSeconds()}, in milliseconds. */
  public double cpuMillis() {
    return cpuSeconds() * 1000;
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(15, TimeUnit.SECONDS);
    }
  }
}
