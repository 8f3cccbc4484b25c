package io.tms.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The demo's console: with {@code ansi}, one block (a header, a row per site, the latest script
 * events) redrawn in place every refresh; without, a log line per site now and then and every
 * event as it happens. Used by the demo's control thread only.
 */
final class ConsoleView {
  private static final int EVENTS_SHOWN = 8;

  /** What the view shows of one site. */
  record Row(SiteRun site, long cloudBols, long reserveLeft) {}

  private final PrintStream out;
  private final boolean ansi;
  private final Deque<String> events = new ArrayDeque<>();
  private int drawnLines;

  ConsoleView(PrintStream out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  /** A script event: printed at once without ANSI, kept for the next redraw with it. */
  void event(String simTime, String text) {
    String line = "[" + simTime + "] " + text;
    if (ansi) {
      events.addLast(line);
      while (events.size() > EVENTS_SHOWN) {
        events.removeFirst();
      }
    } else {
      out.println(line);
    }
  }

  /** A line that stays (not redrawn), e.g. the start or the end; ends the in-place block. */
  void line(String text) {
    drawnLines = 0;
    out.println(text);
  }

  void render(String header, List<Row> rows, Instant siteNow) {
    List<String> lines = new ArrayList<>();
    lines.add(header);
    lines.add(String.format("%-6s %-7s %-15s %7s %7s %8s %7s %9s %14s %8s",
        "site", "size", "link", "loads", "BOLs", "in cloud", "outbox", "lag", "reserve (gal)", "denials"));
    for (Row r : rows) {
      lines.add(row(r, siteNow));
    }
    if (ansi) {
      lines.add("");
      lines.addAll(events);
      StringBuilder b = new StringBuilder();
      if (drawnLines > 0) {
        b.append("\033[").append(drawnLines).append('F'); // back to the block's first line
      }
      for (String l : lines) {
        b.append(l).append("\033[K\n");
      }
      b.append("\033[J"); // clear what an older, longer block left below
      out.print(b);
      out.flush();
      drawnLines = lines.size();
    } else {
      lines.forEach(out::println);
    }
  }

  private static String row(Row r, Instant siteNow) {
    SiteRun s = r.site();
    JsonNode st = s.status();
    String link = st == null ? "starting" : st.path("link").asText("?");
    if (s.linkFault != null) {
      link = link + " (" + s.linkFault + ")";
    }
    if (s.diedUnexpectedly()) {
      link = "DEAD";
    }
    long loads = s.simulator() == null ? 0 : s.simulator().completedSoFar();
    long denials = s.simulator() == null ? 0
        : s.simulator().denialsSoFar().values().stream().mapToLong(Long::longValue).sum();
    JsonNode lane = st == null ? null : st.path("outbox").path("BUSINESS");
    long depth = lane == null ? 0 : lane.path("depth").asLong();
    String lag = "-";
    if (lane != null && lane.hasNonNull("oldestUnsentAt")) {
      lag = Demo.shortDuration(Duration.between(Instant.parse(lane.get("oldestUnsentAt").asText()), siteNow));
    }
    return String.format("%-6s %-7s %-15s %7d %7d %8d %7d %9s %,14d %8d", s.code, s.seed.profile().cliName(),
        link, loads, st == null ? 0 : st.path("bolsIssued").asLong(), r.cloudBols(), depth, lag, r.reserveLeft(), denials);
  }

  /** Deny reasons summed over the sites. */
  static String denials(List<SiteRun> sites) {
    Map<String, Long> all = new java.util.TreeMap<>();
    for (SiteRun s : sites) {
      if (s.simulator() != null) {
        s.simulator().denialsSoFar().forEach((k, v) -> all.merge(k, v, Long::sum));
      }
    }
    return all.toString();
  }
}
