package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentAotCacheTest {
  private static final Instant BUILT = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir Path target;

  @Test
  void aMissingCacheIsNotFresh() throws Exception {
    jar("tms-cli.jar", BUILT);
    assertThat(new AgentAotCache(target).fresh()).isFalse();
  }

  @Test
  void aCacheMadeAfterTheBuildIsFreshAndUsed() throws Exception {
    jar("tms-cli.jar", BUILT);
    jar("lib/jetty-server.jar", BUILT);
    touch(target.resolve(AgentAotCache.FILE_NAME), BUILT.plusSeconds(5));

    AgentAotCache cache = new AgentAotCache(target);
    assertThat(cache.fresh()).isTrue();
    assertThat(cache.useOptions()).containsExactly("-XX:AOTCache=" + target.resolve("tms-agent.aot"));
  }

  @Test
  void aRebuiltJarOrDependencyMakesTheCacheStale() throws Exception {
    jar("tms-cli.jar", BUILT);
    touch(target.resolve(AgentAotCache.FILE_NAME), BUILT.plusSeconds(5));
    jar("lib/tms-agent.jar", BUILT.plusSeconds(60));

    assertThat(new AgentAotCache(target).fresh()).isFalse();
  }

  @Test
  void theCacheLivesNextToTheJarTheJvmRunsFrom() {
    String classPath = target.resolve("tms-cli.jar") + java.io.File.pathSeparator + "/elsewhere/x.jar";
    assertThat(AgentAotCache.forClassPath(classPath).file()).isEqualTo(target.resolve("tms-agent.aot"));
  }

  @Test
  void trainingRunsGetNoJvmOptionsFromTheEnvironment() {
    java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of(
        "JDK_JAVA_OPTIONS", "-XX:StartFlightRecording", "JAVA_TOOL_OPTIONS", "-Xmx1g", "_JAVA_OPTIONS", "-Xss1m",
        "PATH", "/usr/bin", "MALLOC_ARENA_MAX", "2"));
    AgentAotCache.trainingEnvironment(env);
    assertThat(env).containsOnlyKeys("PATH", "MALLOC_ARENA_MAX");
  }

  private void jar(String name, Instant modified) throws Exception {
    touch(target.resolve(name), modified);
  }

  private static void touch(Path file, Instant modified) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1});
    Files.setLastModifiedTime(file, FileTime.from(modified));
  }
}
