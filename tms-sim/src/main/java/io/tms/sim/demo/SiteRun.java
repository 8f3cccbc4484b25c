package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tms.agent.seed.SeedData;
import io.tms.sim.AgentUnderTest;
import io.tms.sim.TerminalSimulator;
import io.tms.sim.fault.FaultProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One site of the demo: its agent process (restartable on the same port, so its terminals find it
 * again), the fault proxy its link to the cloud's mTLS edge listener runs through (TLS passes
 * through it untouched), and its simulated terminals. The first start enrolls with a one-time
 * bootstrap token; a restart keeps the key and certificate in the site's data directory. Methods
 * are called by the demo's one control thread; the status and the agent are read by the view and
 * the watcher too (volatile).
 */
final class SiteRun implements AutoCloseable {
  final String code;
  final SeedData seed;
  final int terminals;
  final Path dir;
  final int port;
  final URI base;
  final FaultProxy link;
  /** The cloud as the agent sees it: the edge listener, through the proxy. */
  final URI cloud;
  private final AgentLauncher launcher;
  private final String bootstrapToken;
  private final Map<String, String> env;
  private final AtomicInteger starts = new AtomicInteger();
  private volatile AgentUnderTest agent;
  private volatile boolean expectingExit;
  private volatile JsonNode status;
  private TerminalSimulator simulator;
  private Thread simulatorThread;
  private volatile TerminalSimulator.Result result;
  /** Why the link is down right now ("outage", "chaos"), or null when it passes. */
  volatile String linkFault;

  SiteRun(SeedData seed, int terminals, Path dir, int port, int edgePort, String bootstrapToken, AgentLauncher launcher,
      Map<String, String> env) {
    this.code = seed.site().code();
    this.seed = seed;
    this.terminals = terminals;
    this.dir = dir;
    this.port = port;
    this.base = URI.create("http://127.0.0.1:" + port + "/");
    this.launcher = launcher;
    this.env = Map.copyOf(env);
    this.bootstrapToken = bootstrapToken;
    this.link = FaultProxy.start("127.0.0.1", edgePort);
    this.cloud = URI.create("https://127.0.0.1:" + link.port());
  }

  /** Starts the agent process and waits for its ready line. */
  void startAgent() throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      // its own session: a Ctrl-C at the terminal reaches the demo, which reconciles and then stops
      // the agents itself, instead of reaching the agents mid-drain
      command.add("/usr/bin/setsid");
    }
    command.addAll(launcher.command(code, dir.resolve("site"), port, cloud));
    int n = starts.incrementAndGet();
    Map<String, String> environment = new HashMap<>(env);
    // the token only on the first start (the variable behind --bootstrap-token, kept out of the
    // process list); a restarted agent already holds its key and certificate
    environment.put("TMS_BOOTSTRAP_TOKEN", n == 1 ? bootstrapToken : "");
    agent = AgentUnderTest.start(command, environment, dir.resolve("agent-" + n + ".log"), Duration.ofSeconds(120));
    expectingExit = false;
  }

  AgentUnderTest agent() {
    return agent;
  }

  /** How many times the agent was started (1 + restarts). */
  int starts() {
    return starts.get();
  }

  /** True when the agent process ended without the demo asking it to. */
  boolean diedUnexpectedly() {
    AgentUnderTest a = agent;
    return a != null && !expectingExit && !a.process().isAlive();
  }

  /** kill -9 (no shutdown hook, nothing flushed), then the same agent again on the same port and data. */
  void killAndRestart() throws IOException, InterruptedException {
    expectingExit = true;
    agent.kill();
    startAgent();
  }

  void startSimulator(TerminalSimulator.Options options) {
    simulator = new TerminalSimulator(base, seed.roster(), options);
    simulatorThread = Thread.ofPlatform().name("demo-trucks-" + code).start(() -> {
      try {
        result = simulator.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  TerminalSimulator simulator() {
    return simulator;
  }

  /** Stops the trucks and waits for the ones at a bay to finish their request. */
  TerminalSimulator.Result stopSimulator() throws InterruptedException {
    if (simulator == null) {
      return null;
    }
    simulator.stop();
    simulatorThread.join(Duration.ofSeconds(60));
    return result;
  }

  JsonNode status() {
    return status;
  }

  void status(JsonNode s) {
    status = s;
  }

  /** Lets the link pass and forgets any fault. */
  void restoreLink() {
    link.pass();
    linkFault = null;
  }

  @Override
  public void close() {
    if (simulator != null) {
      simulator.stop();
    }
    expectingExit = true;
    AgentUnderTest a = agent;
    if (a != null) {
      try {
        a.process().descendants().forEach(ProcessHandle::destroy);
        a.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        a.process().destroyForcibly();
      }
    }
    link.close();
  }
}
