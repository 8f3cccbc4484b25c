package io.tms.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of one benchmark: its figures next to their targets, printed as a table or as the
 * one JSON object scripts read ({@code {"benchmark", "machine", "results": [...]}}).
 */
public final class BenchReport {
  public enum Better { LOWER, HIGHER }

  public record Metric(String metric, double value, String unit, double target, Better better) {
    public boolean meetsTarget() {
      return Double.isNaN(target) || (better == Better.LOWER ? value <= target : value >= target);
    }
  }

  private final String benchmark;
  private final List<Metric> results = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public BenchReport(String benchmark) {
    this.benchmark = benchmark;
  }

  public BenchReport add(String metric, double value, String unit, double target, Better better) {
    results.add(new Metric(metric, value, unit, target, better));
    return this;
  }

  /** The notes so far, in order. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  public BenchReport note(String note) {
    notes.add(note);
    return this;
  }

  public static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + memoryMiB() + " MiB, JDK "
        + Runtime.version();
  }

  static long memoryMiB() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  public void printTable(PrintStream out) {
    out.println("benchmark " + benchmark + " — " + machine());
    int width = Math.max(28, results.stream().mapToInt(m -> m.metric().length()).max().orElse(0));
    String row = "%-" + width + "s %14s %-8s %12s  %s%n";
    out.printf(row, "metric", "measured", "unit", "target", "");
    for (Metric m : results) {
      String target = Double.isNaN(m.target()) ? "-" : (m.better() == Better.LOWER ? "<= " : ">= ") + fmt(m.target());
      out.printf(row, m.metric(), fmt(m.value()), m.unit(), target,
          Double.isNaN(m.target()) ? "" : m.meetsTarget() ? "ok" : "MISSED");
    }
    notes.forEach(n -> out.println("note: " + n));
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("benchmark", benchmark);
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memoryMiB", memoryMiB());
    machine.put("jdk", Runtime.version().toString());
    ArrayNode rs = root.putArray("results");
    for (Metric m : results) {
      ObjectNode r = rs.addObject();
      r.put("metric", m.metric());
      if (Double.isNaN(m.value())) { // not measured in this run (e.g. the agent's CPU with --in-process): not 0
        r.putNull("value");
      } else {
        r.put("value", round(m.value()));
      }
      r.put("unit", m.unit());
      if (Double.isNaN(m.target())) {
        r.putNull("target");
      } else {
        r.put("target", m.target());
      }
      r.put("better", m.better().name().toLowerCase());
    }
    return root.toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format("%,d", (long) v) : String.format("%,.2f", v);
  }
}
