package org.conv4j.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.conv4j.bench.BenchThreads;
import org.conv4j.core.NaiveConvEngine;

/**
 * The JMH runs sorted by benchmark: convolutions, the FMA peak per thread count, and max-pool.
 * Runs of other benchmarks are kept in {@link #others()} and listed by name only.
 */
public record BenchResults(List<ConvResult> conv, SortedMap<Integer, Double> peakFlops, List<PoolResult> pool,
                           List<JmhRun> others, Optional<JmhRun> sample) {

    static final String ALLOC_METRIC = "gc.alloc.rate.norm";
    static final String PEAK_METRIC = "flops";

    public BenchResults {
        conv = List.copyOf(conv);
        peakFlops = Collections.unmodifiableSortedMap(new TreeMap<>(peakFlops));
        pool = List.copyOf(pool);
        others = List.copyOf(others);
    }

    public static BenchResults of(List<JmhRun> runs) {
        List<ConvResult> conv = new ArrayList<>();
        SortedMap<Integer, Double> peak = new TreeMap<>();
        List<PoolResult> pool = new ArrayList<>();
        List<JmhRun> others = new ArrayList<>();
        for (JmhRun run : runs) {
            switch (run.benchmarkClass()) {
                case "ConvBenchmark" -> conv.add(new ConvResult(run.param("shape"), run.param("pass"),
                        run.param("engine"), BenchThreads.resolve(run.param("threads")),
                        run.primaryMetric().medianSeconds(), alloc(run)));
                case "PeakBenchmark" -> {
                    JmhRun.Metric flops = run.secondary(PEAK_METRIC);
                    if (flops != null) {
                        // other work on the machine can only lower the FMA rate, so the best iteration of
                        // all peak runs (the runner measures before and after the suite) is the estimate
                        peak.merge(run.threads(), flops.max(), Math::max);
                    }
                }
                case "MaxPoolBenchmark" -> pool.add(new PoolResult(run.param("shape"), run.param("pass"),
                        run.primaryMetric().medianSeconds(), alloc(run)));
                default -> others.add(run);
            }
        }
        return new BenchResults(conv, peak, pool, others, runs.stream().findFirst());
    }

    /** The measured peak FLOP/s with this many threads, if the peak benchmark ran with that count. */
    public Optional<Double> peak(int threads) {
        return Optional.ofNullable(peakFlops.get(threads));
    }

    /** The naive engine's single-thread time for this shape and pass: the base of the speed-up column. */
    public Optional<Double> naiveSeconds(String shape, String pass) {
        return conv.stream()
                .filter(r -> r.engine().equals(NaiveConvEngine.NAME) && r.threads() == 1 && r.shape().equals(shape)
                        && r.pass().equals(pass))
                .map(ConvResult::seconds).findFirst();
    }

    private static double alloc(JmhRun run) {
        JmhRun.Metric m = run.secondary(ALLOC_METRIC);
        return m == null ? Double.NaN : m.median();
    }
}
