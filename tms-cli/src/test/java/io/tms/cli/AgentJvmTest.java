package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentJvmTest {

  @Test
  void parsesAnArgfileWithCommentsAndBlankLines() {
    String argfile = """
        # heap
        -Xmx96m   -Xms24m  # both on one line

        -XX:+UseSerialGC
        """;
    assertThat(AgentJvm.parse(argfile)).containsExactly("-Xmx96m", "-Xms24m", "-XX:+UseSerialGC");
  }

  @Test
  void refusesQuotesItWouldNotReadAsJavaDoes() {
    assertThatThrownBy(() -> AgentJvm.parse("-Dname=\"a b\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent JVM options: quotes are not supported");
  }

  @Test
  void theAgentRunsSmallWithSerialGcC1AndNativeAccess() {
    assertThat(AgentJvm.OPTIONS)
        .contains("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void theLauncherStartsTheAgentWithTheSameArgfile() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path dir = root.resolve("tms-cli/src/main/resources/io/tms/cli");
    List<String> base = AgentJvm.parse(Files.readString(dir.resolve(AgentJvm.OPTIONS_FILE)));
    List<String> jdk25 = AgentJvm.parse(Files.readString(dir.resolve(AgentJvm.JDK25_OPTIONS_FILE)));
    assertThat(AgentJvm.forJdk(21)).isEqualTo(base);
    assertThat(AgentJvm.forJdk(25)).containsExactlyElementsOf(concat(base, jdk25));
    assertThat(AgentJvm.OPTIONS).isEqualTo(AgentJvm.forJdk(Runtime.version().feature()));
    assertThat(Files.readString(root.resolve("tms")))
        .contains("AGENT_OPTIONS=\"$ROOT/tms-cli/src/main/resources/io/tms/cli/agent-jvm.options\"")
        .contains("AGENT_OPTIONS_25=\"$ROOT/tms-cli/src/main/resources/io/tms/cli/agent-jvm-25.options\"")
        .contains("JVM_OPTS=(@\"$AGENT_OPTIONS\")")
        .contains("if [ \"$JAVA_MAJOR\" -ge 25 ]; then JVM_OPTS+=(@\"$AGENT_OPTIONS_25\"); fi")
        .contains("exec \"$JDK/bin/java\" \"${JVM_OPTS[@]}\"");
  }

  @Test
  void compactObjectHeadersOnlyOnJdk25AndLater() {
    assertThat(AgentJvm.forJdk(21)).doesNotContain("-XX:+UseCompactObjectHeaders");
    assertThat(AgentJvm.forJdk(25)).contains("-XX:+UseCompactObjectHeaders");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void theLauncherTheBenchAndTheImageGiveTheAgentTheSameEnvironment() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    String launcher = Files.readString(root.resolve("tms"));
    String jib = Files.readString(root.resolve("tms-agent/pom.xml"));
    assertThat(AgentJvm.ENVIRONMENT).isNotEmpty();
    AgentJvm.ENVIRONMENT.forEach((name, value) -> {
      assertThat(launcher).contains("export " + name + "=\"${" + name + ":-" + value + "}\"");
      assertThat(jib).contains("<" + name + ">" + value + "</" + name + ">");
    });
    assertThat(AgentJvm.withEnvironment(List.of("java", "-version")))
        .containsExactly("env", "MALLOC_ARENA_MAX=2", "java", "-version");
  }
}
