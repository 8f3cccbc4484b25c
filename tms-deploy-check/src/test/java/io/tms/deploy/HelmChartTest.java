package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart deploy/helm/tms, checked with Helm itself (helm-java bundles it): lint --strict
 * in both modes and assertions on the objects {@code helm template} renders with
 * values-cloud.yaml and values-edge.yaml.
 */
class HelmChartTest {
  static final Path CHART = Repo.path("deploy/helm/tms");

  @TempDir Path tmp;

  @Test
  void lint_strict_passes_for_the_defaults_and_both_modes() throws IOException {
    assertLintClean(CHART, "values.yaml");
    // helm lint takes no values file here, so lint a copy whose values.yaml is the merged overlay
    for (String mode : List.of("values-cloud.yaml", "values-edge.yaml")) {
      Path copy = tmp.resolve(mode.replace(".yaml", "")).resolve("tms");
      copyTree(CHART, copy);
      JsonNode merged = merge(Repo.yaml(CHART.resolve("values.yaml")).deepCopy(), Repo.yaml(CHART.resolve(mode)));
      Files.writeString(copy.resolve("values.yaml"), Repo.YAML.writeValueAsString(merged));
      assertLintClean(copy, mode);
    }
  }

  @Test
  void cloud_mode_renders_three_api_replicas_with_alb_hpa_pdb_and_probes() {
    Map<String, JsonNode> objects = render("values-cloud.yaml");
    assertThat(objects).containsKeys("Deployment", "Service", "ConfigMap", "Secret", "Ingress",
        "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "ServiceAccount");
    assertThat(objects).doesNotContainKey("PersistentVolumeClaim");

    JsonNode deployment = objects.get("Deployment");
    // deploy/pipeline/deploy.sh and the runbooks name these
    assertThat(deployment.at("/metadata/name").asText()).isEqualTo("tms-api");
    assertThat(objects.get("Service").at("/metadata/name").asText()).isEqualTo("tms-api");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.get("image").asText()).isEqualTo("tms-api:0.1.0");
    // the HPA owns the replica count (3..6); without it the Deployment says 3
    assertThat(objects.get("HorizontalPodAutoscaler").at("/spec/minReplicas").asInt()).isEqualTo(3);
    assertThat(objects.get("HorizontalPodAutoscaler").at("/spec/maxReplicas").asInt()).isEqualTo(6);
    assertThat(render("values-cloud.yaml", "autoscaling.enabled", false).get("Deployment").at("/spec/replicas").asInt())
        .isEqualTo(3);
    assertResources(container, "256Mi", "250m", "512Mi", "500m");
    assertProbesAndSecurity(deployment, 9090);
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();

    assertThat(objects.get("Ingress").at("/spec/ingressClassName").asText()).isEqualTo("alb");
    assertThat(objects.get("Ingress").at("/metadata/annotations").get("alb.ingress.kubernetes.io/healthcheck-path").asText())
        .isEqualTo("/readyz");
    assertThat(objects.get("PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(2);
    JsonNode config = objects.get("ConfigMap").get("data");
    assertThat(config.get("TMS_DB_URL").asText()).startsWith("jdbc:postgresql://");
    assertThat(config.get("TMS_HTTP_PORT").asText()).isEqualTo("9090");
    assertThat(envNames(container)).contains("TMS_DB_PASSWORD", "TMS_CA_PASSPHRASE", "TMS_ADMIN_TOKEN");
    assertThat(config.get("TMS_EDGE_PORT").asText()).isEqualTo("9443");
    assertThat(container.at("/ports/1/name").asText()).isEqualTo("edge");
    assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(9443);
    assertThat(objects.get("Service").at("/spec/ports/1/port").asInt()).isEqualTo(9443);
    assertThat(objects.get("Secret").get("data").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("db-password", "ca-keystore", "ca-keystore-password");
    assertThat(objects.get("ServiceMonitor").at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
  }

  @Test
  void edge_mode_renders_one_agent_that_recreates_on_its_10gi_volume() {
    Map<String, JsonNode> objects = render("values-edge.yaml");
    assertThat(objects).containsKeys("Deployment", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim",
        "NetworkPolicy");
    assertThat(objects).doesNotContainKeys("HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "ServiceMonitor");

    JsonNode deployment = objects.get("Deployment");
    assertThat(deployment.at("/metadata/name").asText()).isEqualTo("tms-agent");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.get("image").asText()).isEqualTo("tms-agent:0.1.0");
    assertResources(container, "128Mi", "100m", "256Mi", "200m");
    assertProbesAndSecurity(deployment, 8080);

    List<JsonNode> claims = all("values-edge.yaml", "PersistentVolumeClaim");
    JsonNode data = claims.stream().filter(c -> c.at("/metadata/name").asText().endsWith("-data")).findFirst().orElseThrow();
    assertThat(data.at("/metadata/name").asText()).isEqualTo("tms-agent-data");
    assertThat(data.at("/spec/resources/requests/storage").asText()).isEqualTo("10Gi");
    assertThat(data.at("/spec/accessModes/0").asText()).isEqualTo("ReadWriteOnce");
    assertThat(data.at("/metadata/annotations").get("helm.sh/resource-policy").asText()).isEqualTo("keep");
    assertThat(volumeClaims(deployment)).contains(data.at("/metadata/name").asText());

    JsonNode config = objects.get("ConfigMap").get("data");
    assertThat(config.get("TMS_SITE").asText()).isEqualTo("SITE1");
    assertThat(config.get("TMS_DATA").asText()).isEqualTo("/var/lib/tms/data");
    assertThat(config.get("TMS_BACKUP_DIR").asText()).isEqualTo("/var/lib/tms/backups");
    assertThat(envNames(container)).contains("TMS_BOOTSTRAP_TOKEN");
    assertThat(objects.get("Secret").get("data").has("bootstrap-token")).isTrue();
  }

  @Test
  void bad_values_fail_the_render_naming_the_value() {
    assertThatThrownBy(() -> render("values-edge.yaml", "replicaCount", 2)).hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> render("values-edge.yaml", "site.code", "lower")).hasMessageContaining("site.code");
    assertThatThrownBy(() -> render("values-cloud.yaml", "mode", "both")).hasMessageContaining("mode must be");
  }

  @Test
  void the_k3s_auto_deploy_manifest_installs_this_chart_in_edge_mode() {
    List<JsonNode> docs = Repo.documents(read(Repo.path("deploy/k3s/tms-agent-helmchart.yaml")));
    JsonNode chart = docs.stream().filter(d -> "HelmChart".equals(d.path("kind").asText())).findFirst().orElseThrow();
    assertThat(chart.get("apiVersion").asText()).isEqualTo("helm.cattle.io/v1");
    assertThat(chart.at("/metadata/namespace").asText()).isEqualTo("kube-system");
    assertThat(chart.at("/spec/targetNamespace").asText()).isEqualTo("tms");
    assertThat(chart.at("/spec/chart").asText()).contains("tms");
    JsonNode values = Repo.documents(chart.at("/spec/valuesContent").asText()).getFirst();
    assertThat(values.get("mode").asText()).isEqualTo("edge");
    // the overrides it sets are keys of the chart's values
    JsonNode defaults = Repo.yaml(CHART.resolve("values.yaml"));
    values.fieldNames().forEachRemaining(k -> assertThat(defaults.has(k)).as("values key %s", k).isTrue());
  }

  // ------------------------------------------------------------------------------------------------

  private static void assertLintClean(Path chart, String what) {
    LintResult lint = new Helm(chart).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict (%s): %s", what, lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).as(what).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  private static void assertResources(JsonNode container, String reqMem, String reqCpu, String limMem, String limCpu) {
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo(reqMem);
    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo(reqCpu);
    assertThat(container.at("/resources/limits/memory").asText()).isEqualTo(limMem);
    assertThat(container.at("/resources/limits/cpu").asText()).isEqualTo(limCpu);
  }

  private static void assertProbesAndSecurity(JsonNode deployment, int port) {
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode c = pod.at("/containers/0");
    assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(port);
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/livez");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(65532);
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
    List<String> mounts = new ArrayList<>();
    c.get("volumeMounts").forEach(m -> mounts.add(m.get("mountPath").asText()));
    assertThat(mounts).as("writable places on a read-only root").contains("/tmp", "/var/lib/tms/data");
  }

  private static List<String> envNames(JsonNode container) {
    List<String> names = new ArrayList<>();
    container.get("env").forEach(e -> names.add(e.get("name").asText()));
    return names;
  }

  private static List<String> volumeClaims(JsonNode deployment) {
    List<String> claims = new ArrayList<>();
    deployment.at("/spec/template/spec/volumes").forEach(v -> {
      if (v.has("persistentVolumeClaim")) {
        claims.add(v.at("/persistentVolumeClaim/claimName").asText());
      }
    });
    return claims;
  }

  static Map<String, JsonNode> render(String valuesFile, Object... sets) {
    Map<String, JsonNode> byKind = new java.util.LinkedHashMap<>();
    for (JsonNode doc : documents(valuesFile, sets)) {
      byKind.putIfAbsent(doc.get("kind").asText(), doc);
    }
    return byKind;
  }

  private static List<JsonNode> all(String valuesFile, String kind) {
    return documents(valuesFile).stream().filter(d -> kind.equals(d.get("kind").asText())).toList();
  }

  private static List<JsonNode> documents(String valuesFile, Object... sets) {
    var template = new Helm(CHART).template().withName("tms").withNamespace("tms").withKubeVersion("v1.31.0")
        .withValuesFile(CHART.resolve(valuesFile));
    for (int i = 0; i < sets.length; i += 2) {
      template = template.set((String) sets[i], sets[i + 1]);
    }
    return Repo.documents(template.call());
  }

  private static JsonNode merge(JsonNode base, JsonNode overlay) {
    Iterator<Map.Entry<String, JsonNode>> it = overlay.fields();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing != null && existing.isObject() && e.getValue().isObject()) {
        merge(existing, e.getValue());
      } else {
        ((ObjectNode) base).set(e.getKey(), e.getValue());
      }
    }
    return base;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
