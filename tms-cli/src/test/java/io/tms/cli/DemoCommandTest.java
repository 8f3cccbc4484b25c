package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A short {@code tms demo}: the site comes up, trucks load, it ends cleanly. */
class DemoCommandTest {
  @TempDir Path data;

  @Test
  void a_short_demo_prints_its_endpoint_loads_trucks_and_exits_zero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new TmsCommand()).execute(
          "demo", "--duration", "8s", "--speed", "2000", "--terminals", "6", "--port", "0", "--no-ui",
          "--data", data.toString());
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text.lines().findFirst().orElseThrow()).startsWith("endpoint site-DEMO1 http://127.0.0.1:");
    assertThat(text).containsPattern("tms demo: [1-9]\\d* loads completed");
    assertThat(text).contains("0 server errors");
  }
}
