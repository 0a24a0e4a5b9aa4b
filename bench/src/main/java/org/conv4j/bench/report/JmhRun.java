package org.conv4j.bench.report;

import java.util.List;
import java.util.Map;

/**
 * One entry of JMH's JSON result file ({@code -rf json}): a benchmark with its parameters, the primary
 * metric and the secondary ones (e.g. {@code gc.alloc.rate.norm} from {@code -prof gc}, or the peak
 * benchmark's {@code flops} counter). Only the fields the report reads are mapped.
 */
public record JmhRun(String benchmark, String mode, int threads, String jdkVersion, String vmVersion,
                     int warmupIterations, String warmupTime, int measurementIterations, String measurementTime,
                     int forks, Map<String, String> params, Metric primaryMetric,
                     Map<String, Metric> secondaryMetrics) {

    public JmhRun {
        params = params == null ? Map.of() : Map.copyOf(params);
        secondaryMetrics = secondaryMetrics == null ? Map.of() : Map.copyOf(secondaryMetrics);
    }

    /** The benchmark class's simple name, e.g. {@code ConvBenchmark} for {@code org.conv4j.bench.ConvBenchmark.conv}. */
    public String benchmarkClass() {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
    }

    public String param(String name) {
        return params.get(name);
    }

    /**
     * A secondary metric by name; JMH versions before 1.37 prefixed profiler metrics with a middle dot
     * ({@code ·gc.alloc.rate.norm}), so both spellings are found.
     */
    public Metric secondary(String name) {
        Metric m = secondaryMetrics.get(name);
        return m != null ? m : secondaryMetrics.get("\u00b7" + name);
    }

    /** A metric's score, unit and per-fork, per-iteration raw values. */
    public record Metric(double score, String scoreUnit, List<List<Double>> rawData) {

        public Metric {
            rawData = rawData == null ? List.of() : rawData.stream().map(List::copyOf).toList();
        }

        /** The median of all measurement iterations of all forks (the score itself when no raw data). */
        public double median() {
            double[] all = rawData.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
            if (all.length == 0) {
                return score;
            }
            int mid = all.length / 2;
            return all.length % 2 == 1 ? all[mid] : (all[mid - 1] + all[mid]) / 2;
        }

        /** The largest iteration value (the score itself when no raw data). */
        public double max() {
            return rawData.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(score);
        }

        /** The median converted to seconds per operation, for time units {@code s|ms|us|ns/op}. */
        public double medianSeconds() {
            return median() * secondsPer(scoreUnit);
        }

        private static double secondsPer(String unit) {
            return switch (unit == null ? "" : unit) {
                case "s/op" -> 1;
                case "ms/op" -> 1e-3;
                case "us/op", "\u00b5s/op" -> 1e-6;
                case "ns/op" -> 1e-9;
                default -> throw new IllegalArgumentException("scoreUnit: expected a time per operation (s/op, ms/op,"
                        + " us/op or ns/op; run JMH in avgt or sample mode), got '" + unit + "'");
            };
        }
    }
}
