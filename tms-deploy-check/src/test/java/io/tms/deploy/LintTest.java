package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** yamllint over deploy/ and the pipeline, shellcheck over every script of deploy/. */
class LintTest {

  @Test
  void yamllint_strict_passes() {
    String yamllint = Tools.require("yamllint", "yamllint");
    Tools.Run run = Tools.run(yamllint, "--strict", "--format", "parsable", "-c", "deploy/.yamllint.yaml",
        "deploy", "azure-pipelines.yml");
    assertThat(run.exit()).as("yamllint:\n%s", run.output()).isZero();
  }

  @Test
  void yamllint_catches_what_it_should() throws IOException {
    String yamllint = Tools.require("yamllint", "yamllint");
    Path bad = Files.createTempFile("bad", ".yaml");
    try {
      Files.writeString(bad, "key: value\nkey: again\n");
      Tools.Run run = Tools.run(yamllint, "--strict", "-c", "deploy/.yamllint.yaml", bad.toString());
      assertThat(run.exit()).isNotZero();
      assertThat(run.output()).contains("duplication of key");
    } finally {
      Files.delete(bad);
    }
  }

  @Test
  void shellcheck_passes_on_every_script() throws IOException {
    String shellcheck = Tools.require("shellcheck", "shellcheck");
    List<String> scripts;
    try (Stream<Path> files = Files.walk(Repo.path("deploy"))) {
      scripts = files.filter(p -> p.toString().endsWith(".sh")).map(p -> Repo.ROOT.relativize(p).toString()).sorted()
          .toList();
    }
    assertThat(scripts).contains("deploy/coreos/build-iso.sh", "deploy/images/build-base.sh", "deploy/pipeline/deploy.sh");
    for (String s : scripts) {
      assertThat(Files.isExecutable(Repo.path(s))).as("%s is executable", s).isTrue();
    }
    List<String> cmd = new ArrayList<>(List.of(shellcheck, "--severity=style", "--format=gcc"));
    cmd.addAll(scripts);
    Tools.Run run = Tools.run(cmd, java.util.Map.of(), Repo.ROOT, 300);
    assertThat(run.exit()).as("shellcheck:\n%s", run.output()).isZero();
  }
}
