package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/terraform without a Terraform binary: every .tf file parses (hcl4j), and the wiring holds —
 * every variable, local, resource, data source and module output referenced is declared, every
 * module input is a variable of that module and every required one is given, variables and outputs
 * are described, and the environments differ where production must.
 */
class TerraformWiringTest {
  static final Path TF = Repo.path("deploy/terraform");
  static final List<String> MODULES = List.of("vpc", "eks", "rds", "s3-cloudfront", "vpn-gateway", "ecr", "iot");
  static final List<String> ENVIRONMENTS = List.of("dev", "staging", "production");
  static final Set<String> META_ARGUMENTS = Set.of("source", "version", "count", "for_each", "providers", "depends_on");

  private static final Pattern VAR = Pattern.compile("\\bvar\\.([a-z_][a-z0-9_]*)");
  private static final Pattern LOCAL = Pattern.compile("\\blocal\\.([a-z_][a-z0-9_]*)");
  private static final Pattern MODULE_OUTPUT = Pattern.compile("\\bmodule\\.([a-z_][a-z0-9_-]*)\\.([a-z_][a-z0-9_]*)");
  private static final Pattern RESOURCE_REF = Pattern.compile("(?<![.\\w])(aws_[a-z0-9_]+)\\.([a-z_][a-z0-9_]*)");
  private static final Pattern DATA_REF = Pattern.compile("(?<![.\\w])data\\.([a-z0-9_]+)\\.([a-z_][a-z0-9_]*)");

  /** One Terraform directory: its parsed blocks (all files merged) and its raw text. */
  record Dir(Path path, Map<String, Map<String, Object>> blocks, String text) {
    Map<String, Object> block(String kind) {
      return blocks.getOrDefault(kind, Map.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> variable(String name) {
      return (Map<String, Object>) block("variable").get(name);
    }
  }

  @Test
  void every_module_and_environment_is_complete_and_described() {
    for (String m : MODULES) {
      checkDescribed(load(TF.resolve("modules").resolve(m)));
    }
    for (String e : ENVIRONMENTS) {
      Dir env = load(TF.resolve("environments").resolve(e));
      checkDescribed(env);
      assertThat(env.block("module").keySet()).as("%s composes every module", e)
          .containsExactlyInAnyOrder("vpc", "eks", "rds", "releases", "vpn", "ecr", "iot");
    }
  }

  @Test
  void every_reference_resolves_inside_its_directory() {
    Stream.concat(MODULES.stream().map(m -> TF.resolve("modules").resolve(m)),
        ENVIRONMENTS.stream().map(e -> TF.resolve("environments").resolve(e))).forEach(p -> {
      Dir dir = load(p);
      assertThat(names(VAR, dir.text(), 1)).as("variables used in %s", p).isSubsetOf(dir.block("variable").keySet());
      assertThat(names(LOCAL, dir.text(), 1)).as("locals used in %s", p).isSubsetOf(dir.block("locals").keySet());
      assertThat(pairs(RESOURCE_REF, dir.text())).as("resources referenced in %s", p).isSubsetOf(declared(dir, "resource"));
      assertThat(pairs(DATA_REF, dir.text())).as("data sources referenced in %s", p).isSubsetOf(declared(dir, "data"));
      assertThat(unused(dir)).as("variables declared but never used in %s", p).isEmpty();
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void module_inputs_match_module_variables_and_referenced_outputs_exist() {
    for (String e : ENVIRONMENTS) {
      Path envPath = TF.resolve("environments").resolve(e);
      Dir env = load(envPath);
      Map<String, Dir> called = new LinkedHashMap<>();
      env.block("module").forEach((name, body) -> {
        Map<String, Object> call = (Map<String, Object>) body;
        Path source = envPath.resolve((String) call.get("source")).normalize();
        assertThat(source).as("module %s source", name).isDirectory();
        Dir module = load(source);
        called.put(name, module);
        Set<String> inputs = new TreeSet<>(call.keySet());
        inputs.removeAll(META_ARGUMENTS);
        assertThat(inputs).as("%s: inputs of module %s", e, name).isSubsetOf(module.block("variable").keySet());
        for (var v : module.block("variable").entrySet()) {
          if (!((Map<String, Object>) v.getValue()).containsKey("default")) {
            assertThat(inputs).as("%s: module %s needs its required variable %s", e, name, v.getKey()).contains(v.getKey());
          }
        }
        assertThat(inputs).as("%s: module %s is tagged", e, name).contains("tags");
      });
      Matcher m = MODULE_OUTPUT.matcher(env.text());
      while (m.find()) {
        assertThat(called).as("%s: module %s referenced", e, m.group(1)).containsKey(m.group(1));
        assertThat(called.get(m.group(1)).block("output")).as("%s: output %s of module %s", e, m.group(2), m.group(1))
            .containsKey(m.group(2));
      }
      // terraform.tfvars sets only declared variables, and every required one
      Map<String, Object> tfvars = parse(envPath.resolve("terraform.tfvars"));
      assertThat(tfvars.keySet()).as("%s tfvars", e).isSubsetOf(env.block("variable").keySet());
      env.block("variable").forEach((name, body) -> {
        if (!((Map<String, Object>) body).containsKey("default")) {
          assertThat(tfvars).as("%s tfvars sets required %s", e, name).containsKey(name);
        }
      });
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void production_is_sized_and_protected_as_production() {
    Map<String, Object> prod = load(TF.resolve("environments/production")).block("module");
    Map<String, Object> dev = load(TF.resolve("environments/dev")).block("module");
    Map<String, Object> prodDb = (Map<String, Object>) prod.get("rds");
    Map<String, Object> devDb = (Map<String, Object>) dev.get("rds");
    assertThat(prodDb.get("multi_az")).isEqualTo(true);
    assertThat(prodDb.get("deletion_protection")).isEqualTo(true);
    assertThat(((Number) prodDb.get("backup_retention_days")).intValue()).isGreaterThanOrEqualTo(7);
    assertThat(devDb.get("multi_az")).isEqualTo(false);
    assertThat(((Map<String, Object>) prod.get("vpc")).get("single_nat_gateway")).isEqualTo(false);
    assertThat(((Number) ((Map<String, Object>) prod.get("vpc")).get("az_count")).intValue()).isEqualTo(3);
    assertThat(((Number) ((Map<String, Object>) prod.get("eks")).get("node_min_size")).intValue())
        .as("3 tms-api replicas spread over nodes").isGreaterThanOrEqualTo(3);

    // the security properties the modules promise, in their resources
    String rds = load(TF.resolve("modules/rds")).text();
    assertThat(rds).contains("storage_encrypted               = true").contains("publicly_accessible             = false");
    String s3 = load(TF.resolve("modules/s3-cloudfront")).text();
    assertThat(s3).contains("block_public_policy     = true").contains("aws_cloudfront_origin_access_control")
        .contains("status = \"Enabled\"");
    assertThat(load(TF.resolve("modules/ecr")).text()).contains("scan_on_push = true").contains("aws_ecr_lifecycle_policy");
  }

  // ------------------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static void checkDescribed(Dir dir) {
    assertThat(dir.path().resolve("versions.tf")).exists();
    assertThat(dir.block("variable")).as("%s declares variables", dir.path()).isNotEmpty();
    assertThat(dir.block("output")).as("%s has outputs", dir.path()).isNotEmpty();
    dir.block("variable").forEach((name, body) -> {
      Map<String, Object> v = (Map<String, Object>) body;
      assertThat(v).as("variable %s in %s", name, dir.path()).containsKeys("description", "type");
    });
    dir.block("output").forEach((name, body) -> assertThat((Map<String, Object>) body)
        .as("output %s in %s", name, dir.path()).containsKeys("description", "value"));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> declared(Dir dir, String kind) {
    Set<String> out = new TreeSet<>();
    dir.block(kind).forEach((type, byName) -> ((Map<String, Object>) byName).keySet().forEach(n -> out.add(type + "." + n)));
    return out;
  }

  private static Set<String> names(Pattern p, String text, int group) {
    Set<String> out = new TreeSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(group));
    }
    return out;
  }

  private static Set<String> pairs(Pattern p, String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1) + "." + m.group(2));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Dir load(Path dir) {
    Map<String, Map<String, Object>> blocks = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        String src = Files.readString(f);
        // comments are not code: references in them must not count
        text.append(src.replaceAll("(?m)^\\s*#.*$", "")).append('\n');
        for (var e : parse(f).entrySet()) {
          if (e.getValue() instanceof Map<?, ?> m) {
            Map<String, Object> into = blocks.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
            for (var entry : ((Map<String, Object>) m).entrySet()) {
              // resource and data blocks are keyed by type, then name: merge per type
              if (into.get(entry.getKey()) instanceof Map<?, ?> existing && entry.getValue() instanceof Map<?, ?> more
                  && (e.getKey().equals("resource") || e.getKey().equals("data"))) {
                ((Map<String, Object>) existing).putAll((Map<String, Object>) more);
              } else {
                into.put(entry.getKey(), entry.getValue());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Dir(dir, blocks, text.toString());
  }

  static Map<String, Object> parse(Path file) {
    try {
      Map<String, Object> parsed = new HCLParser().parse(file.toFile(), "UTF-8");
      assertThat(parsed).as("%s parses", file).isNotNull();
      return parsed;
    } catch (Exception e) {
      throw new AssertionError(file + " does not parse as HCL: " + e.getMessage(), e);
    }
  }

  static Set<String> unused(Dir dir) {
    Set<String> declaredVars = new LinkedHashSet<>(dir.block("variable").keySet());
    declaredVars.removeAll(names(VAR, dir.text(), 1));
    return declaredVars;
  }
}
