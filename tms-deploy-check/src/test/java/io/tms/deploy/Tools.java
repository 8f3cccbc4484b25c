package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs outside programs for the deploy checks. Linters are Debian packages: when one is missing
 * it is installed with apt-get (the suite runs as root on Debian); if that fails the check fails
 * loudly — it never skips.
 */
final class Tools {
  private Tools() {}

  /** What a program printed (stdout and stderr together) and its exit code. */
  record Run(int exit, String output) {}

  static Run run(List<String> command, Map<String, String> env, Path workDir, long timeoutSeconds) {
    try {
      Path log = Files.createTempFile("tms-deploy-check", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Run run(String... command) {
    return run(List.of(command), Map.of(), Repo.ROOT, 300);
  }

  /** The program's path, installing its Debian package when it is missing. */
  static synchronized String require(String program, String debianPackage) {
    String found = which(program);
    if (found != null) {
      return found;
    }
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage));
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    Run first = run(install, env, Repo.ROOT, 600);
    if (first.exit() != 0) {
      Run update = run(List.of("apt-get", "update", "-q"), env, Repo.ROOT, 600);
      assertThat(update.exit()).as("apt-get update (to install %s):\n%s", debianPackage, update.output()).isZero();
      Run second = run(install, env, Repo.ROOT, 600);
      assertThat(second.exit()).as("apt-get install %s:\n%s", debianPackage, second.output()).isZero();
    }
    found = which(program);
    assertThat(found).as("%s on the PATH after installing %s", program, debianPackage).isNotNull();
    return found;
  }

  private static String which(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
