package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * azure-pipelines.yml: the schema's structure (stages, jobs or deployment jobs, steps of a known
 * kind), the order build → publish → dev → staging → production, the same test command as .ci/run,
 * and every repository file it names exists.
 */
class PipelineTest {
  static final JsonNode PIPELINE = Repo.yaml(Repo.path("azure-pipelines.yml"));
  static final List<String> STEP_KINDS = List.of("script", "bash", "task", "checkout", "download", "publish");

  @Test
  void stages_run_in_order_with_gated_environments() {
    Map<String, JsonNode> stages = new LinkedHashMap<>();
    PIPELINE.get("stages").forEach(s -> stages.put(s.get("stage").asText(), s));
    assertThat(stages.keySet()).containsExactly("Build", "Publish", "Dev", "Staging", "Production");
    assertThat(stages.get("Publish").get("dependsOn").asText()).isEqualTo("Build");
    assertThat(stages.get("Dev").get("dependsOn").asText()).isEqualTo("Publish");
    assertThat(stages.get("Staging").get("dependsOn").asText()).isEqualTo("Dev");
    assertThat(stages.get("Production").get("dependsOn").asText()).isEqualTo("Staging");
    assertThat(stages.get("Production").get("condition").asText()).contains("refs/tags/v");
    assertThat(environment(stages.get("Dev"))).isEqualTo("tms-dev");
    assertThat(environment(stages.get("Staging"))).isEqualTo("tms-staging");
    assertThat(environment(stages.get("Production"))).isEqualTo("tms-production");
    assertThat(PIPELINE.at("/trigger/branches/include/0").asText()).isEqualTo("main");
  }

  @Test
  void every_job_has_a_pool_and_well_formed_steps() {
    for (JsonNode stage : PIPELINE.get("stages")) {
      assertThat(stage.has("displayName")).isTrue();
      for (JsonNode job : stage.get("jobs")) {
        assertThat(job.has("job") ^ job.has("deployment")).as("job or deployment: %s", job).isTrue();
        assertThat(job.at("/pool/vmImage").asText()).isNotBlank();
        for (JsonNode step : steps(job)) {
          List<String> kinds = STEP_KINDS.stream().filter(step::has).toList();
          assertThat(kinds).as("one step kind in %s", step).hasSize(1);
          if (step.has("task")) {
            assertThat(step.get("task").asText()).as("task@major").matches("[A-Za-z]+@\\d+");
            assertThat(step.has("inputs") || step.get("task").asText().startsWith("Cache")).isTrue();
          }
          if (!step.has("checkout")) {
            assertThat(step.has("displayName")).as("displayName of %s", step).isTrue();
          }
        }
      }
    }
  }

  @Test
  void it_tests_with_the_ci_command_and_names_only_files_that_exist() throws IOException {
    List<String> scripts = new ArrayList<>();
    for (JsonNode stage : PIPELINE.get("stages")) {
      for (JsonNode job : stage.get("jobs")) {
        for (JsonNode step : steps(job)) {
          if (step.has("script")) {
            scripts.add(step.get("script").asText());
          }
          step.path("inputs").fields().forEachRemaining(e -> scripts.add(e.getValue().asText()));
        }
      }
    }
    String all = String.join("\n", scripts);
    String ci = Files.readString(Repo.path(".ci/run"));
    assertThat(ci).contains("./tms test");
    assertThat(scripts).contains("./tms test");
    assertThat(all).contains("jib:build").contains("helm package deploy/helm/tms").contains("deploy/pipeline/deploy.sh");
    Matcher m = Pattern.compile("(?<![\\w/.-])((?:deploy|\\.ci)/[\\w./-]+|\\./(?:tms|mvnw))\\b").matcher(all);
    int files = 0;
    while (m.find()) {
      String path = m.group(1).replaceFirst("^\\./", "");
      assertThat(Repo.path(path)).as("%s named by the pipeline", m.group(1)).exists();
      files++;
    }
    assertThat(files).isGreaterThanOrEqualTo(5);
  }

  private static String environment(JsonNode stage) {
    return stage.at("/jobs/0/environment").asText();
  }

  private static List<JsonNode> steps(JsonNode job) {
    JsonNode steps = job.has("steps") ? job.get("steps") : job.at("/strategy/runOnce/deploy/steps");
    assertThat(steps.isArray()).as("steps of %s", job).isTrue();
    List<JsonNode> out = new ArrayList<>();
    steps.forEach(out::add);
    return out;
  }
}
