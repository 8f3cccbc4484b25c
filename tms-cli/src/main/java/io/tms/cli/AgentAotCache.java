package io.tms.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The agent's ahead-of-time cache (JDK 25, JEP 483/514/515): the classes a start-up loads and
 * links, read from one file instead of ~70 jars. It halves the agent's start to ready; without
 * it the agent still runs, only slower. The cache belongs to one build: it lives next to the
 * jars it was made from ({@value #FILE_NAME}) and counts as stale once any of them is newer.
 * A training run (a restart of a seeded scratch site, {@code tms agent --exit-when-ready} with
 * {@code -XX:AOTCacheOutput}) makes it;
 * the {@code ./tms} launcher does the same in bash. Not thread-safe; one trainer at a time per
 * directory is enough, and a failed or concurrent training never leaves a half-written cache.
 */
final class AgentAotCache {
  static final String FILE_NAME = "tms-agent.aot";

  private final Path file;
  private final Path jarDir;

  /** @param jarDir the directory of tms-cli.jar (its dependencies are in {@code lib/} below it) */
  AgentAotCache(Path jarDir) {
    this.jarDir = jarDir;
    this.file = jarDir.resolve(FILE_NAME);
  }

  /** The cache for the jar this JVM runs from (the first entry of its class path). */
  static AgentAotCache forClassPath(String classPath) {
    String first = classPath.split(java.io.File.pathSeparator, -1)[0];
    Path dir = Path.of(first).toAbsolutePath().getParent();
    return new AgentAotCache(dir);
  }

  Path file() {
    return file;
  }

  /** The cache exists and no jar beside it (or in {@code lib/}) is newer. */
  boolean fresh() {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      FileTime made = Files.getLastModifiedTime(file);
      return jars().noneMatch(jar -> modified(jar).compareTo(made) > 0);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** Options that make a JVM use the cache. */
  List<String> useOptions() {
    return List.of("-XX:AOTCache=" + file);
  }

  /**
   * Trains the cache and installs it: a first agent creates and seeds a scratch site
   * ({@code scratch}, large profile) and exits once ready; a second, the training run, restarts on
   * that site and exits once ready. The cache then holds what an agent in service loads at a
   * restart, not the one-off work of a new site (Flyway, the seed): every class in the cache is
   * loaded at each start, and stays in RSS.
   *
   * @param jvm java and its options, as the agent will run
   * @param main the class path option and the main class ({@code -cp ... io.tms.cli.TmsCommand})
   * @return true if a cache is now in place
   */
  boolean train(List<String> jvm, List<String> main, Path scratch, long timeoutSeconds) throws InterruptedException {
    Path out = file.resolveSibling(FILE_NAME + ".tmp-" + ProcessHandle.current().pid());
    List<String> agent = List.of("agent", "--site", "AOTTRAIN", "--data", scratch.toString(),
        "--host", "127.0.0.1", "--port", "0", "--exit-when-ready");
    List<String> prepare = new ArrayList<>(jvm);
    prepare.addAll(main);
    prepare.addAll(agent);
    prepare.addAll(List.of("--seed", "large"));
    List<String> training = new ArrayList<>(jvm);
    training.add("-XX:AOTCacheOutput=" + out);
    training.addAll(main);
    training.addAll(agent);
    File log = scratch.resolveSibling(scratch.getFileName() + ".log").toFile();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      if (!runs(prepare, ProcessBuilder.Redirect.to(log), deadline)
          || !runs(training, ProcessBuilder.Redirect.appendTo(log), deadline)
          || !Files.isRegularFile(out)) {
        return false;
      }
      Files.move(out, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }

  /**
   * Variables through which the environment would add JVM options to the training runs (a
   * {@code JDK_JAVA_OPTIONS} with {@code -XX:StartFlightRecording} in the shell that ran the bench,
   * say). The JVM keeps such a run's module graph in the cache, and every later start without the
   * same options finds it mismatched ("Mismatched values for property jdk.module.addmods") and
   * starts without the cache's optimized modules: slower and larger, for the life of the build.
   */
  static final List<String> OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

  /** The environment a training run gets: this process's, without {@link #OPTION_VARIABLES}. */
  static void trainingEnvironment(java.util.Map<String, String> env) {
    OPTION_VARIABLES.forEach(env::remove);
  }

  /** Runs {@code cmd} to its end (by {@code deadline}, else kills it); true if it exited with 0. */
  private static boolean runs(List<String> cmd, ProcessBuilder.Redirect log, long deadline)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
    trainingEnvironment(pb.environment());
    Process p = pb.start();
    if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      p.destroyForcibly().waitFor();
      return false;
    }
    return p.exitValue() == 0;
  }

  private Stream<Path> jars() throws IOException {
    List<Path> jars = new ArrayList<>();
    for (Path dir : List.of(jarDir, jarDir.resolve("lib"))) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          s.filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(jars::add);
        }
      }
    }
    return jars.stream();
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
