package io.tms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM options the edge agent runs with. They live in one java {@code @argfile},
 * {@code agent-jvm.options} next to this class, so that {@code tms bench}, the {@code ./tms}
 * launcher ({@code java @.../agent-jvm.options}) and the container image start the agent alike.
 */
final class AgentJvm {
  static final String OPTIONS_FILE = "agent-jvm.options";

  /** Options that need JDK 25 or later, added after {@link #OPTIONS_FILE} on such a JDK. */
  static final String JDK25_OPTIONS_FILE = "agent-jvm-25.options";

  /**
   * The options in {@link #OPTIONS_FILE}, in order, then those of {@link #JDK25_OPTIONS_FILE} when
   * this JVM (whose java starts the agent) is 25 or later.
   */
  static final List<String> OPTIONS = forJdk(Runtime.version().feature());

  /**
   * The environment the agent runs with, besides its options: at most two glibc malloc arenas.
   * glibc gives each thread that allocates natively (JIT compilers, SQLite under every JDBC call,
   * Jetty's virtual-thread carriers) an arena of its own, up to 8 per core, and memory freed in
   * one is not reused by another: on the edge benchmark that left 15–25 MiB more RSS. The
   * launcher ({@code ./tms agent}) and the container image (tms-agent's Jib {@code environment})
   * set the same; {@code AgentJvmTest} and {@code ContainerImageTest} keep them equal.
   */
  static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /** {@code command} run under {@link #ENVIRONMENT}: {@code env NAME=VALUE ... command} (env execs it). */
  static List<String> withEnvironment(List<String> command) {
    List<String> withEnv = new ArrayList<>();
    withEnv.add("env");
    ENVIRONMENT.forEach((name, value) -> withEnv.add(name + "=" + value));
    withEnv.addAll(command);
    return withEnv;
  }

  private AgentJvm() {}

  /**
   * The options of an argfile: whitespace-separated, {@code #} to the end of the line is a
   * comment. Quotes are refused rather than half-supported.
   */
  static List<String> parse(String argfile) {
    List<String> options = new ArrayList<>();
    for (String line : argfile.split("\\R")) {
      int hash = line.indexOf('#');
      String code = hash < 0 ? line : line.substring(0, hash);
      if (code.indexOf('"') >= 0 || code.indexOf('\'') >= 0) {
        throw new IllegalArgumentException("agent JVM options: quotes are not supported: " + line.strip());
      }
      Arrays.stream(code.strip().split("\\s+")).filter(s -> !s.isEmpty()).forEach(options::add);
    }
    return List.copyOf(options);
  }

  /** The agent's options on a JDK of the given feature release. */
  static List<String> forJdk(int feature) {
    List<String> options = new ArrayList<>(parse(read(OPTIONS_FILE)));
    if (feature >= 25) {
      options.addAll(parse(read(JDK25_OPTIONS_FILE)));
    }
    return List.copyOf(options);
  }

  private static String read(String name) {
    try (InputStream in = AgentJvm.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
