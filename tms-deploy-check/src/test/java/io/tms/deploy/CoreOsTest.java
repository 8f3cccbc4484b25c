package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Butane config of an edge device (deploy/coreos/edge.bu) uses only keys of the fcos 1.5.0
 * spec and sets up what the edge needs; build-iso.sh fills in every placeholder and every local
 * file the config refers to, and refuses bad arguments.
 */
class CoreOsTest {
  static final Path BU = Repo.path("deploy/coreos/edge.bu");
  static final Path SCRIPT = Repo.path("deploy/coreos/build-iso.sh");

  // Keys of the Butane fcos 1.5.0 spec used at each level (a subset of the spec; a typo fails).
  static final Set<String> TOP = Set.of("variant", "version", "ignition", "storage", "systemd", "passwd",
      "kernel_arguments", "boot_device", "grub");
  static final Set<String> USER = Set.of("name", "password_hash", "ssh_authorized_keys", "ssh_authorized_keys_local",
      "uid", "gecos", "home_dir", "no_create_home", "primary_group", "groups", "no_user_group", "no_log_init", "shell",
      "should_exist", "system");
  static final Set<String> STORAGE = Set.of("disks", "raid", "filesystems", "files", "directories", "links", "luks",
      "trees");
  static final Set<String> FILE = Set.of("path", "overwrite", "contents", "append", "mode", "user", "group");
  static final Set<String> CONTENTS = Set.of("source", "inline", "local", "compression", "http_headers", "verification");
  static final Set<String> DIRECTORY = Set.of("path", "overwrite", "mode", "user", "group");
  static final Set<String> UNIT = Set.of("name", "enabled", "mask", "contents", "contents_local", "dropins");

  @Test
  void uses_only_fcos_keys() {
    JsonNode bu = Repo.yaml(BU);
    assertThat(bu.get("variant").asText()).isEqualTo("fcos");
    assertThat(bu.get("version").asText()).isEqualTo("1.5.0");
    assertThat(keys(bu)).isSubsetOf(TOP);
    bu.at("/passwd/users").forEach(u -> assertThat(keys(u)).as("user").isSubsetOf(USER));
    assertThat(keys(bu.get("storage"))).isSubsetOf(STORAGE);
    bu.at("/storage/files").forEach(f -> {
      assertThat(keys(f)).as("file %s", f.get("path")).isSubsetOf(FILE);
      assertThat(keys(f.get("contents"))).as("contents of %s", f.get("path")).isSubsetOf(CONTENTS).hasSize(
          f.at("/contents/verification").isMissingNode() ? 1 : 2);
    });
    bu.at("/storage/directories").forEach(d -> assertThat(keys(d)).isSubsetOf(DIRECTORY));
    bu.at("/systemd/units").forEach(u -> assertThat(keys(u)).as("unit %s", u.get("name")).isSubsetOf(UNIT));
  }

  @Test
  void sets_up_ssh_k3s_the_agent_chart_the_token_and_an_update_window() {
    JsonNode bu = Repo.yaml(BU);
    JsonNode core = bu.at("/passwd/users/0");
    assertThat(core.get("name").asText()).isEqualTo("core");
    assertThat(core.get("ssh_authorized_keys_local").get(0).asText()).isEqualTo("ssh/authorized_keys");

    JsonNode k3s = file(bu, "/usr/local/bin/k3s");
    assertThat(k3s.at("/contents/source").asText()).startsWith("https://github.com/k3s-io/k3s/releases/download/");
    assertThat(k3s.at("/contents/verification/hash").asText()).startsWith("sha256-");
    assertThat(k3s.get("mode").asInt()).isEqualTo(0755);

    JsonNode chart = file(bu, "/var/lib/rancher/k3s/server/manifests/tms-agent-helmchart.yaml");
    assertThat(chart.at("/contents/local").asText()).isEqualTo("k3s/tms-agent-helmchart.yaml");
    JsonNode token = file(bu, "/var/lib/rancher/k3s/server/manifests/tms-agent-bootstrap.yaml");
    assertThat(token.get("mode").asInt()).as("the token is readable by root only").isEqualTo(0600);

    String zincati = file(bu, "/etc/zincati/config.d/55-updates-strategy.toml").at("/contents/inline").asText();
    assertThat(zincati).contains("strategy = \"periodic\"").contains("[[updates.periodic.window]]")
        .contains("start_time").contains("length_minutes");

    List<String> enabled = new ArrayList<>();
    bu.at("/systemd/units").forEach(u -> {
      if (u.path("enabled").asBoolean()) {
        enabled.add(u.get("name").asText());
      }
    });
    assertThat(enabled).contains("k3s.service", "k3s-selinux.service");
  }

  @Test
  void the_builder_fills_in_every_placeholder_and_local_file() throws IOException {
    String bu = Files.readString(BU);
    String script = Files.readString(SCRIPT);
    Matcher m = Pattern.compile("@([A-Z0-9_]+)@").matcher(bu.replaceAll("(?m)^\\s*#.*$", ""));
    int placeholders = 0;
    while (m.find()) {
      assertThat(script).as("build-iso.sh replaces %s", m.group()).contains("s|" + m.group() + "|");
      placeholders++;
    }
    assertThat(placeholders).isPositive();
    List<String> locals = new ArrayList<>();
    JsonNode yaml = Repo.yaml(BU);
    yaml.at("/storage/files").forEach(f -> {
      if (f.at("/contents/local").isTextual()) {
        locals.add(f.at("/contents/local").asText());
      }
    });
    yaml.at("/passwd/users").forEach(u -> u.path("ssh_authorized_keys_local").forEach(k -> locals.add(k.asText())));
    assertThat(locals).hasSize(3);
    for (String local : locals) {
      assertThat(script).as("build-iso.sh writes files/%s", local).contains("$work/files/" + local);
    }
    assertThat(script).contains("butane --strict").contains("coreos-installer iso customize")
        .contains("--dest-ignition");
    assertThat(Repo.path("deploy/k3s/tms-agent-helmchart.yaml")).exists();
  }

  @Test
  void the_builder_refuses_bad_arguments_naming_them() {
    Tools.Run run = Tools.run(List.of("bash", SCRIPT.toString(), "--site", "lower"), Map.of(), Repo.ROOT, 60);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.output()).contains("--site must be");
    run = Tools.run(List.of("bash", SCRIPT.toString(), "--site", "HOU1", "--cloud-url", "http://plain"), Map.of(),
        Repo.ROOT, 60);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.output()).contains("--cloud-url must be an https URL");
    run = Tools.run(List.of("bash", SCRIPT.toString(), "--help"), Map.of(), Repo.ROOT, 60);
    assertThat(run.exit()).isZero();
    assertThat(run.output()).contains("Usage:").contains("--token-file");
  }

  private static JsonNode file(JsonNode bu, String path) {
    for (JsonNode f : bu.at("/storage/files")) {
      if (f.get("path").asText().equals(path)) {
        return f;
      }
    }
    throw new AssertionError("edge.bu writes no " + path);
  }

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
