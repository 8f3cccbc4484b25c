package io.tms.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tms test}: the whole test suite ({@code mvnw verify}). The {@code ./tms} launcher runs it
 * directly, before anything is built; this command does the same when the jar is run by hand.
 */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Run the whole test suite (Maven verify).")
final class TestCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", description = "Extra Maven arguments, e.g. -pl tms-agent -am.")
  List<String> extra = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    String home = System.getProperty("tms.home");
    Path root = home != null ? Path.of(home) : Path.of(".").toAbsolutePath();
    if (!Files.isExecutable(root.resolve("mvnw"))) {
      System.err.println("tms test: no mvnw in " + root + "; run it from the repository (./tms test)");
      return 2;
    }
    List<String> cmd = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-ntp", "-f",
        root.resolve("pom.xml").toString(), "verify"));
    cmd.addAll(extra);
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }
}
