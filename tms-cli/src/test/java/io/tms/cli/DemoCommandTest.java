package io.tms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tms demo --no-ui}, shortened: the cloud in this JVM, three agent processes (small, large,
 * stress) behind fault proxies, trucks at each, the default outage, the card revocation and the
 * allocation squeeze on the script; it must print its endpoints first, show the script, and end
 * with a clean reconciliation and exit 0.
 */
class DemoCommandTest {
  private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+");
  private static final Pattern EDGE = Pattern.compile("https://127\\.0\\.0\\.1:\\d+");

  @TempDir Path data;

  @Test
  void three_sites_an_outage_a_revoked_card_and_a_clean_reconciliation() {
    Run run = demo("--duration", "25s", "--speed", "720", "--no-ui", "--data", data.toString());
    System.out.println(run.text()); // in the test report: what the demo showed

    assertThat(run.exit()).as(run.text()).isZero();
    List<String> lines = run.text().lines().toList();
    assertThat(lines.get(0)).matches("endpoint cloud-admin " + URL);
    assertThat(lines.get(1)).matches("endpoint cloud-edge " + EDGE);
    assertThat(lines.get(1).replaceAll(".*:", "")).isNotEqualTo(lines.get(0).replaceAll(".*:", ""));
    assertThat(lines.get(2)).matches("endpoint site-AUS1 " + URL);
    assertThat(lines.get(3)).matches("endpoint site-HOU2 " + URL);
    assertThat(lines.get(4)).matches("endpoint site-BTR3 " + URL);
    assertThat(lines.getLast()).isEqualTo("reconciliation: ok");

    assertThat(run.text()).contains("HOU2: link to the cloud DOWN", "HOU2: link UP again");
    assertThat(run.text()).containsPattern("card \\d+ revoked by the dispatcher");
    assertThat(run.text()).containsPattern("AUS1: driver \\S+ at the gate -> denied \\[\"CARD_INACTIVE\"]");
    assertThat(run.text()).containsPattern("HOU2: driver \\S+ at the gate -> denied \\[\"CARD_INACTIVE\"]");
    for (String site : List.of("AUS1", "HOU2", "BTR3")) {
      Matcher m = Pattern.compile(site + " +BOLs at the site +(\\d+), in the cloud +(\\d+), missing 0, duplicates 0")
          .matcher(run.text());
      assertThat(m.find()).as(site + " in " + run.text()).isTrue();
      assertThat(Long.parseLong(m.group(1))).as(site + " issued BOLs").isPositive();
      assertThat(m.group(2)).isEqualTo(m.group(1));
    }
    assertThat(run.text()).contains("oversold 0, site reserves overspent 0");
    // every tank opened with stock; at the end none is below zero and the cloud's book is the site's
    assertThat(run.text()).contains("site AUS1: 10 tanks opened with 60-80 % of their capacity",
        "site HOU2: 40 tanks opened", "site BTR3: 80 tanks opened");
    for (String site : List.of("AUS1", "HOU2", "BTR3")) {
      assertThat(run.text()).containsPattern(site + " +tanks \\d+: below zero 0, cloud book differs 0; lowest book [\\d,]+ gal");
    }
    assertEnrolledOverMtls(run, List.of("AUS1", "HOU2", "BTR3"));
  }

  @Test
  void with_chaos_links_fail_at_random_an_agent_is_killed_and_the_books_still_reconcile() {
    Run run = demo("--duration", "25s", "--speed", "720", "--no-ui", "--chaos", "--sites", "small,large",
        "--outage", "none", "--seed", "7", "--data", data.toString());
    System.out.println(run.text());

    assertThat(run.exit()).as(run.text()).isZero();
    assertThat(run.text()).containsPattern("(AUS1|HOU2): chaos, agent killed with kill -9 \\(pid \\d+\\), restarting");
    assertThat(run.text()).containsPattern("chaos, (link cut|link delayed|connections reset|link black-holed)");
    assertThat(run.text()).doesNotContain("link to the cloud DOWN");
    assertThat(run.text()).contains("oversold 0, site reserves overspent 0");
    assertThat(run.text().lines().toList().getLast()).isEqualTo("reconciliation: ok");
    assertThat(run.text()).containsPattern("AUS1 +tanks 10: below zero 0, cloud book differs 0");
    // the killed agent came back on its own key and certificate: still one certificate per site
    assertEnrolledOverMtls(run, List.of("AUS1", "HOU2"));
  }

  /**
   * Each site enrolled with its bootstrap token through its proxy to the mTLS edge listener, the
   * cloud holds exactly one certificate per site (the one its agent holds at the end), and the
   * admin port refused the edge routes in plain HTTP, so nothing could sync but over mTLS.
   */
  private static void assertEnrolledOverMtls(Run run, List<String> sites) {
    for (String site : sites) {
      assertThat(run.text()).containsPattern("site " + site + ": enrolled with its bootstrap token at " + EDGE
          + " \\(EST, through its fault proxy\\), certificate [0-9a-f]+ until \\S+; syncing over mTLS");
    }
    String counts = String.join(", ", sites.stream().map(s -> s + " 1").toList());
    assertThat(run.text()).contains("  site certificates " + counts
        + " (each enrolled once, kept across restarts); plain-HTTP edge off");
  }

  @Test
  void bad_options_are_refused_naming_the_option() {
    Run run = demo("--sites", "AUS1:huge", "--duration", "5s");
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("--sites");
    assertThat(demo("--outage", "HOU2-6h", "--duration", "5s").err()).contains("--outage must be SITE:START:LENGTH");
  }

  private record Run(int exit, String text, String err) {}

  private static Run demo(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    int exit;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    CommandLine cli = new CommandLine(new TmsCommand());
    cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "demo";
      System.arraycopy(args, 0, all, 1, args.length);
      exit = cli.execute(all);
    } finally {
      System.setOut(originalOut);
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
