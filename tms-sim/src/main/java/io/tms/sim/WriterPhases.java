package io.tms.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a write's time went in the agent over a window, from two scrapes of its {@code /metrics}:
 * the writer's phase histograms ({@code tms_writer_unit_seconds} by phase, {@code
 * tms_writer_flush_seconds}) and the units per group commit. Percentiles are read from the
 * histogram's buckets, so each is the upper bound of its bucket (the agent's buckets are 0.25-0.5 ms
 * apart from 1 to 5 ms, {@code SiteMetrics}): a breakdown to read beside the terminals' own
 * latencies, not a second measurement of them.
 *
 * @param start the scrape before the window
 * @param end the scrape after it
 */
record WriterPhases(WriterPhases.Snapshot start, WriterPhases.Snapshot end) {
  static final String[] PHASES = {"queued", "committing", "flushing"};
  private static final Pattern BUCKET = Pattern.compile(
      "^(tms_writer_unit_seconds|tms_writer_flush_seconds)_bucket\\{([^}]*)\\} ([0-9.eE+-]+)$");
  private static final Pattern SUM_OR_COUNT = Pattern.compile(
      "^(tms_writer_batch_units)_(sum|count)\\{[^}]*\\} ([0-9.eE+-]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** One scrape: cumulative bucket counts per histogram (by its phase, or "flush"), and the batch sums. */
  record Snapshot(Map<String, NavigableMap<Double, Double>> buckets, double batchUnitsSum, double batchUnitsCount) {
    static Snapshot parse(String prometheusText) {
      Map<String, NavigableMap<Double, Double>> buckets = new HashMap<>();
      double sum = 0;
      double count = 0;
      for (String line : prometheusText.split("\n")) {
        Matcher m = BUCKET.matcher(line);
        if (m.matches()) {
          Map<String, String> labels = labels(m.group(2));
          String key = m.group(1).equals("tms_writer_flush_seconds") ? "flush" : labels.get("phase");
          String le = labels.get("le");
          if (key != null && le != null) {
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            buckets.computeIfAbsent(key, k -> new TreeMap<>()).merge(bound, Double.parseDouble(m.group(3)), Double::sum);
          }
          continue;
        }
        Matcher s = SUM_OR_COUNT.matcher(line);
        if (s.matches()) {
          if (s.group(2).equals("sum")) {
            sum += Double.parseDouble(s.group(3));
          } else {
            count += Double.parseDouble(s.group(3));
          }
        }
      }
      return new Snapshot(buckets, sum, count);
    }

    private static Map<String, String> labels(String text) {
      Map<String, String> labels = new HashMap<>();
      Matcher m = LABEL.matcher(text);
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      return labels;
    }
  }

  /** The agent's metrics now; null if it does not answer (the breakdown is then left out). */
  static Snapshot scrape(URI base) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Snapshot.parse(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The {@code q} quantile, in ms, of a phase ({@link #PHASES}) or "flush" over the window: the upper
   * bound of the first bucket holding it; NaN when nothing was recorded.
   */
  double quantileMs(String key, double q) {
    NavigableMap<Double, Double> to = end.buckets().getOrDefault(key, new TreeMap<>());
    NavigableMap<Double, Double> from = start.buckets().getOrDefault(key, new TreeMap<>());
    double total = to.isEmpty() ? 0 : to.lastEntry().getValue() - from.getOrDefault(to.lastKey(), 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> b : to.entrySet()) {
      if (b.getValue() - from.getOrDefault(b.getKey(), 0.0) >= q * total) {
        return b.getKey() * 1000;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Writes per group commit over the window (mean); NaN when nothing was committed. */
  double unitsPerCommit() {
    double commits = end.batchUnitsCount() - start.batchUnitsCount();
    return commits <= 0 ? Double.NaN : (end.batchUnitsSum() - start.batchUnitsSum()) / commits;
  }
}
