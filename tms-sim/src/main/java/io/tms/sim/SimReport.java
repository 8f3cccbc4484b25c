package io.tms.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/**
 * What {@code tms sim} saw driving an agent: throughput, request latency percentiles and deny
 * reasons by code, as a few lines for people or as one JSON object for scripts:
 * {@code {"sim": {"url", "site", "profile", "mode", "terminals", "durationS"}, "cycles", "requests",
 * "errors", "cyclesPerS", "requestsPerS", "latencyMs": {"p50", "p99", "max"}, "denials": {CODE: n},
 * "statuses": {"201": n, …}}}.
 */
public record SimReport(URI url, String site, String profile, String mode, int terminals, TerminalSimulator.Result result) {

  public double seconds() {
    return result.elapsed().toNanos() / 1e9;
  }

  public double requestsPerSecond() {
    return result.requests() / Math.max(1e-9, seconds());
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ObjectNode sim = root.putObject("sim");
    sim.put("url", url.toString());
    sim.put("site", site);
    sim.put("profile", profile);
    sim.put("mode", mode);
    sim.put("terminals", terminals);
    sim.put("durationS", round(seconds()));
    root.put("cycles", result.cycles());
    root.put("requests", result.requests());
    root.put("errors", result.errors());
    root.put("cyclesPerS", round(result.cyclesPerSecond()));
    root.put("requestsPerS", round(requestsPerSecond()));
    ObjectNode latency = root.putObject("latencyMs");
    latency.put("p50", round(result.latencies().percentileMs(0.50)));
    latency.put("p99", round(result.latencies().percentileMs(0.99)));
    latency.put("max", round(result.latencies().maxMs()));
    ObjectNode denials = root.putObject("denials");
    result.denials().forEach(denials::put);
    ObjectNode statuses = root.putObject("statuses");
    result.statuses().forEach((status, n) -> statuses.put(Integer.toString(status), n));
    return root.toString();
  }

  public void print(PrintStream out) {
    out.printf("sim %s (site %s, %s profile, %s mode): %d terminals for %.1f s — %s%n", url, site, profile, mode,
        terminals, seconds(), BenchReport.machine());
    out.printf("throughput  %,.2f load cycles/s (%,d cycles), %,.1f requests/s (%,d requests), %d errors%n",
        result.cyclesPerSecond(), result.cycles(), requestsPerSecond(), result.requests(), result.errors());
    out.printf("latency     p50 %.2f ms   p99 %.2f ms   max %.2f ms%n", result.latencies().percentileMs(0.50),
        result.latencies().percentileMs(0.99), result.latencies().maxMs());
    if (result.denials().isEmpty()) {
      out.println("denials     none");
    } else {
      out.println("denials     by code:");
      result.denials().forEach((code, n) -> out.printf("  %-28s %,d%n", code, n));
    }
    out.println("statuses    " + result.statuses());
    for (Map.Entry<Integer, String> first : result.firstRefusals().entrySet()) {
      String body = first.getValue();
      out.println("first " + first.getKey() + ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
