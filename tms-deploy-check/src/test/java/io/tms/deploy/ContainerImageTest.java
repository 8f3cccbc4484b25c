package io.tms.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two container images, built the way a machine without a registry builds them: the local
 * jlinked base (deploy/images/build-base.sh, cached under target/) and {@code jib:buildTar} from
 * it. The image tars are unpacked and checked — entrypoint, user, ports, layers, JVM flags — and
 * the agent image is run: its layers unpacked into a root filesystem mounted read-only, the
 * entrypoint started as its user in that root (a private mount and PID namespace, /proc, a tmpfs
 * on /tmp and a writable data directory), asked /livez and /readyz over loopback, and backed up
 * online by the image's {@code BackupMain} in a second such process.
 */
class ContainerImageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path WORK = Path.of("target/images").toAbsolutePath();
  static Path baseTar;

  @BeforeAll
  static void buildImages() {
    String javaHome = System.getProperty("java.home");
    Tools.Run base = Tools.run(List.of("bash", Repo.path("deploy/images/build-base.sh").toString(),
        WORK.resolve("base").toString()), Map.of("JAVA_HOME", javaHome), Repo.ROOT, 900);
    assertThat(base.exit()).as("build-base.sh:\n%s", base.output()).isZero();
    baseTar = WORK.resolve("base/tms-jre-base.tar");
    assertThat(baseTar).isRegularFile();

    // A second Maven run, after this reactor built the modules: packages them again (up to date)
    // and makes the image tars with Jib. The test classpath holds no jar of those modules.
    Tools.Run jib = Tools.run(List.of(Repo.path("mvnw").toString(), "-B", "-ntp", "-q", "-f",
            Repo.path("pom.xml").toString(), "-pl", "tms-agent,tms-api", "-am", "package", "jib:buildTar",
            "-Dmaven.test.skip=true", "-Djib.from.image=tar://" + baseTar),
        Map.of("JAVA_HOME", javaHome), Repo.ROOT, 1500);
    assertThat(jib.exit()).as("jib:buildTar:\n%s", jib.output()).isZero();
  }

  @Test
  void the_agent_image_runs_the_agent_main_as_non_root_sized_for_256_mib() throws IOException {
    Image image = Image.open(Repo.path("tms-agent/target/jib-image.tar"), WORK.resolve("agent"));
    JsonNode config = image.config().get("config");
    List<String> entrypoint = strings(config.get("Entrypoint"));
    assertThat(entrypoint.getFirst()).isEqualTo("java");
    assertThat(entrypoint.getLast()).isEqualTo("io.tms.agent.AgentMain");
    assertThat(entrypoint).containsSubsequence("-cp", "@/app/jib-classpath-file")
        .contains("@/app/jvm/agent-jvm.options", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp")
        .containsSubsequence("@/app/jvm/agent-jvm.options", "@/app/jvm/agent-jvm-25.options");
    assertThat(config.get("User").asText()).isEqualTo("65532:65532");
    assertThat(fields(config.get("ExposedPorts"))).containsExactly("8080/tcp");
    assertThat(strings(config.get("Env"))).contains("TMS_DATA=/var/lib/tms/data", "JAVA_HOME=/opt/java",
        "MALLOC_ARENA_MAX=2"); // as AgentJvm.ENVIRONMENT (tms-cli)
    image.assertLayers("dependencies", "project dependencies", "resources", "classes", "jvm arg files", "extra files");
    assertThat(image.files(image.layerCommented("classes"))).contains("app/classes/io/tms/agent/AgentMain.class");
    assertThat(image.files(image.layerCommented("dependencies"))).anyMatch(f -> f.matches("app/libs/sqlite-jdbc-.*\\.jar"));
    assertLogs(image);

    // the JVM options in the image are the agent's argfile, and they fit a 256 MiB limit
    Path options = image.rootfs().resolve("app/jvm/agent-jvm.options");
    assertThat(Files.readString(options))
        .isEqualTo(Files.readString(Repo.path("tms-cli/src/main/resources/io/tms/cli/agent-jvm.options")));
    assertThat(Files.readString(image.rootfs().resolve("app/jvm/agent-jvm-25.options")))
        .isEqualTo(Files.readString(Repo.path("tms-cli/src/main/resources/io/tms/cli/agent-jvm-25.options")));
    Matcher xmx = Pattern.compile("(?m)^-Xmx(\\d+)m").matcher(Files.readString(options));
    assertThat(xmx.find()).as("-Xmx in the argfile").isTrue();
    assertThat(Integer.parseInt(xmx.group(1))).as("heap leaves room for metaspace, code, SQLite in 256 MiB")
        .isLessThanOrEqualTo(128);
  }

  @Test
  void the_api_image_runs_cloud_main_with_heap_sized_by_the_container() throws IOException {
    Image image = Image.open(Repo.path("tms-api/target/jib-image.tar"), WORK.resolve("api"));
    JsonNode config = image.config().get("config");
    List<String> entrypoint = strings(config.get("Entrypoint"));
    assertThat(entrypoint.getFirst()).isEqualTo("java");
    assertThat(entrypoint.getLast()).isEqualTo("io.tms.api.CloudMain");
    assertThat(entrypoint).contains("-XX:MaxRAMPercentage=62.5", "-XX:+ExitOnOutOfMemoryError");
    assertThat(config.get("User").asText()).isEqualTo("65532:65532");
    assertThat(fields(config.get("ExposedPorts"))).containsExactly("9090/tcp");
    image.assertLayers("dependencies", "project dependencies", "resources", "classes", "jvm arg files");
    assertThat(image.files(image.layerCommented("resources"))).anyMatch(f -> f.startsWith("app/resources/db/cloud/V1"));
    assertThat(image.files(image.layerCommented("dependencies"))).anyMatch(f -> f.matches("app/libs/postgresql-.*\\.jar"));
    assertLogs(image);
  }

  /** The image has a logging backend and its configuration (without them SLF4J says nothing at all). */
  private static void assertLogs(Image image) {
    assertThat(image.files(image.layerCommented("dependencies")))
        .anyMatch(f -> f.matches("app/libs/logback-classic-.*\\.jar"));
    assertThat(image.files(image.layerCommented("project dependencies")))
        .anyMatch(f -> f.matches("app/libs/tms-logging-.*\\.jar"));
  }

  @Test
  void the_agent_image_starts_on_a_read_only_root_with_a_writable_data_directory() throws Exception {
    Image image = Image.open(Repo.path("tms-agent/target/jib-image.tar"), WORK.resolve("agent-run"));
    Path root = image.rootfs();
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("var/lib/tms/data"));
    Tools.run("rm", "-rf", WORK.resolve("agent-run-data").toString());
    Path data = Files.createDirectories(WORK.resolve("agent-run-data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    JsonNode config = image.config().get("config");

    Map<String, String> env = imageEnv(config);
    env.putAll(Map.of("TMS_SITE", "IMG1", "TMS_HTTP_HOST", "127.0.0.1", "TMS_HTTP_PORT", "0", "TMS_SEED", "small"));
    Process p = startInImage(root, data, config.get("User").asText(), strings(config.get("Entrypoint")), env);
    StringBuilder output = new StringBuilder();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          Matcher m = Pattern.compile("ready on (http://\\S+)").matcher(line);
          if (m.find()) {
            ready.complete(m.group(1));
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("the image's agent exited"));
    });
    try {
      String base;
      try {
        base = ready.get(180, TimeUnit.SECONDS);
      } catch (Exception e) {
        synchronized (output) {
          throw new AssertionError("the agent in the image did not get ready:\n" + output, e);
        }
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      var live = http.send(HttpRequest.newBuilder(URI.create(base + "/livez")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      var readyz = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(readyz.statusCode()).as("seeded site is ready").isEqualTo(200);
      // it wrote its database into the data directory, as the image's user
      Path db = data.resolve("site.db");
      assertThat(db).isRegularFile();
      assertThat(Files.getAttribute(db, "unix:uid")).isEqualTo(65532);

      // the image's backup entry point, as a second process beside the running agent (online)
      Process backup = startInImage(root, data, config.get("User").asText(), List.of("java",
          "--enable-native-access=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file", "io.tms.agent.BackupMain",
          "backup", "/var/lib/tms/data", "/var/lib/tms/data/IMG1-manual.db"), imageEnv(config));
      assertThat(backup.waitFor(120, TimeUnit.SECONDS)).as("backup finished").isTrue();
      String said = new String(backup.getInputStream().readAllBytes());
      assertThat(backup.exitValue()).as(said).isZero();
      assertThat(said).contains("backup of site IMG1").contains("hash chains verified");
      assertThat(data.resolve("IMG1-manual.db")).isRegularFile();
      synchronized (output) {
        assertThat(output.toString()).as("the JVM ran with the image's argfile").doesNotContain("Unrecognized option");
        assertThat(output.toString()).as("the agent logs, as ./tms agent does")
            .contains("INFO  [main] i.t.a.store.SiteDatabase - site=IMG1 database=").doesNotContain("SLF4J");
      }
    } finally {
      // The JVM is the PID namespace's init and changed its user, which clears the parent-death
      // signal: stop it (and so the namespace) directly, then unshare.
      List<ProcessHandle> tree = p.descendants().toList();
      tree.forEach(ProcessHandle::destroy);
      for (ProcessHandle h : tree) {
        try {
          h.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          h.destroyForcibly();
        }
      }
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(tree).as("the image's processes are gone").noneMatch(ProcessHandle::isAlive);
    }
  }

  // ------------------------------------------------------------------------------------------------

  /** An image tar (Docker format, as jib:buildTar writes it) unpacked under {@code dir}. */
  record Image(Path dir, JsonNode manifest, JsonNode config) {
    static Image open(Path tar, Path dir) throws IOException {
      assertThat(tar).as("image tar").isRegularFile();
      Tools.run("rm", "-rf", dir.toString());
      Files.createDirectories(dir.resolve("tar"));
      Tools.Run x = Tools.run("tar", "-xf", tar.toString(), "-C", dir.resolve("tar").toString());
      assertThat(x.exit()).as(x.output()).isZero();
      JsonNode manifest = JSON.readTree(dir.resolve("tar/manifest.json").toFile()).get(0);
      JsonNode config = JSON.readTree(dir.resolve("tar").resolve(manifest.get("Config").asText()).toFile());
      Files.createDirectories(dir.resolve("rootfs"));
      for (JsonNode layer : manifest.get("Layers")) {
        Tools.Run l = Tools.run("tar", "--warning=no-unknown-keyword", "-xzf", dir.resolve("tar").resolve(layer.asText()).toString(), "-C",
            dir.resolve("rootfs").toString());
        assertThat(l.exit()).as(l.output()).isZero();
      }
      return new Image(dir, manifest, config);
    }

    Path rootfs() {
      return dir.resolve("rootfs");
    }

    /** The first layer is the base, unchanged; Jib's layers follow with these comments. */
    void assertLayers(String... jibLayers) throws IOException {
      JsonNode baseConfig;
      Path baseDir = dir.resolve("base");
      Files.createDirectories(baseDir);
      Tools.run("tar", "-xf", baseTar.toString(), "-C", baseDir.toString(), "config.json");
      baseConfig = JSON.readTree(baseDir.resolve("config.json").toFile());
      assertThat(config.at("/rootfs/diff_ids/0").asText()).as("base layer").isEqualTo(baseConfig.at("/rootfs/diff_ids/0").asText());
      List<String> comments = new ArrayList<>();
      config.get("history").forEach(h -> {
        if ("Jib".equals(h.path("author").asText())) {
          comments.add(h.get("comment").asText());
        }
      });
      assertThat(comments).containsExactly(jibLayers);
      assertThat(manifest.get("Layers").size()).isEqualTo(1 + jibLayers.length);
      assertThat(manifest.at("/RepoTags/0").asText()).endsWith(":0.1.0-SNAPSHOT");
    }

    /** The layer file that Jib made with this history comment. */
    Path layerCommented(String comment) {
      int i = -1;
      int layer = 0;
      for (JsonNode h : config.get("history")) {
        if (!h.path("empty_layer").asBoolean()) {
          if (comment.equals(h.path("comment").asText())) {
            i = layer;
          }
          layer++;
        }
      }
      assertThat(i).as("layer %s", comment).isNotNegative();
      return dir.resolve("tar").resolve(manifest.get("Layers").get(i).asText());
    }

    List<String> files(Path layer) {
      Tools.Run t = Tools.run("tar", "--warning=no-unknown-keyword", "-tzf", layer.toString());
      assertThat(t.exit()).as(t.output()).isZero();
      return t.output().lines().map(s -> s.replaceFirst("^\\./", "").replaceFirst("^/", "")).toList();
    }
  }

  /**
   * Starts {@code command} in the image's root filesystem: a private mount and PID namespace, the
   * root bind-mounted read-only, /proc, a tmpfs on /tmp, {@code data} on the data directory, and
   * chroot as the image's user (chroot runs the command itself: the image has no shell).
   */
  private static Process startInImage(Path root, Path data, String user, List<String> command, Map<String, String> env)
      throws IOException {
    String script = String.join("\n",
        "set -e",
        "R=\"$1\"; shift",
        "mount --bind \"$R\" \"$R\"",
        "mount --bind \"$DATA\" \"$R/var/lib/tms/data\"",
        "mount -t proc proc \"$R/proc\"",
        "mount -t tmpfs -o size=64m,mode=1777 tmpfs \"$R/tmp\"",
        "mount -o remount,bind,ro \"$R\"",
        "exec chroot --userspec=" + user + " \"$R\" \"$@\"");
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
        "sh", "-c", script, "image", root.toString()));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("DATA", data.toString());
    return pb.start();
  }

  /** The image's environment, with the host's tool directories after the image's PATH. */
  private static Map<String, String> imageEnv(JsonNode config) {
    Map<String, String> env = new HashMap<>();
    for (String kv : strings(config.get("Env"))) {
      env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    env.put("PATH", env.get("PATH") + ":/usr/sbin:/usr/bin:/sbin:/bin");
    return env;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> fields(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
