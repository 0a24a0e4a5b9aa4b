package org.conv4j.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.conv4j.bench.ConvShape;
import org.conv4j.bench.Pass;
import org.conv4j.bench.Shapes;
import org.conv4j.core.NaiveConvEngine;

/** Renders {@link BenchResults} and {@link TorchResults} as the Markdown report. */
public final class MarkdownReport {
    /** The convolution table's header; its columns are explained under it in the report and the README. */
    static final String CONV_HEADER = "| shape | pass | engine | threads | median ms | GFLOP/s | % of peak "
            + "| × naive | PyTorch GFLOP/s | conv4j / PyTorch | alloc/op |";

    /** The headline table's header: the fastest engine per shape, pass and thread count. */
    static final String BEST_HEADER = "| shape | pass | threads | fastest engine | GFLOP/s | % of peak "
            + "| PyTorch GFLOP/s | conv4j / PyTorch |";

    private MarkdownReport() {
    }

    public static String render(BenchResults results, TorchResults torch, ReportInfo info) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(info.title()).append("\n\n");
        appendRunDescription(md, results, torch, info);
        appendPeak(md, results);
        appendBest(md, results, torch);
        appendConv(md, results, torch);
        appendPool(md, results);
        appendOthers(md, results);
        return md.toString();
    }

    private static void appendRunDescription(StringBuilder md, BenchResults results, TorchResults torch,
                                             ReportInfo info) {
        if (!info.machine().isEmpty()) {
            md.append("- Machine: ").append(info.machine()).append("\n");
        }
        results.sample().ifPresent(run -> md.append("- JVM: ").append(run.jdkVersion()).append(" (")
                .append(run.vmVersion()).append("), JMH: ").append(run.forks()).append(" fork(s), ")
                .append(run.warmupIterations()).append(" x ").append(run.warmupTime()).append(" warm-up, ")
                .append(run.measurementIterations()).append(" x ").append(run.measurementTime())
                .append(" measurement iterations per benchmark\n"));
        if (torch.available()) {
            md.append("- PyTorch: ").append(torch.torchVersion()).append(" (").append(torch.blas()).append(")")
                    .append("\n");
        } else {
            md.append("- PyTorch: absent (").append(torch.reason()).append("); the PyTorch columns are empty\n");
        }
        if (!info.load().isEmpty()) {
            md.append("- Load average (1 min) ").append(info.load())
                    .append(": above the core count means other work shared the cores during the run\n");
        }
        if (!info.command().isEmpty()) {
            md.append("- Reproduce: `").append(info.command()).append("`\n");
        }
        md.append("- Times are medians of the measurement iterations. The machine may be shared, so compare\n"
                + "  ratios within this run rather than absolute numbers across runs.\n");
    }

    private static void appendPeak(StringBuilder md, BenchResults results) {
        md.append("\n## Measured FP32 peak (Vector API FMA loop, best iteration)\n\n");
        if (results.peakFlops().isEmpty()) {
            md.append("Not measured in this run, so the % of peak column is empty.\n");
            return;
        }
        md.append("| threads | GFLOP/s |\n|---:|---:|\n");
        results.peakFlops().forEach((threads, flops) ->
                md.append("| ").append(threads).append(" | ").append(gflops(flops / 1e9)).append(" |\n"));
    }

    /** The fastest non-naive engine per shape, pass and thread count, next to PyTorch: the headline. */
    private static void appendBest(StringBuilder md, BenchResults results, TorchResults torch) {
        List<ConvResult> fast = results.conv().stream().filter(r -> !r.engine().equals(NaiveConvEngine.NAME))
                .toList();
        if (fast.isEmpty()) {
            return;
        }
        md.append("\n## Fastest engine per shape and pass\n\n").append(BEST_HEADER).append("\n");
        md.append("|---|---|---:|---|---:|---:|---:|---:|\n");
        Map<String, ConvResult> best = new LinkedHashMap<>();
        for (ConvResult r : sorted(fast)) {
            best.merge(r.shape() + "/" + r.pass() + "/" + r.threads(), r, (a, b) -> b.seconds() < a.seconds() ? b : a);
        }
        List<ConvResult> rows = new ArrayList<>(best.values());
        rows.sort(Comparator.comparingInt(ConvResult::threads)); // stable: report order within a thread count
        for (ConvResult r : rows) {
            double gflops = r.gflops();
            Optional<Double> torchSeconds = torch.seconds(r.shape(), r.pass(), r.threads());
            md.append("| ").append(r.shape())
                    .append(" | ").append(r.pass())
                    .append(" | ").append(r.threads())
                    .append(" | ").append(r.engine())
                    .append(" | ").append(gflops(gflops))
                    .append(" | ").append(results.peak(r.threads()).map(p -> percent(gflops * 1e9 / p)).orElse("—"))
                    .append(" | ").append(torchSeconds.map(s -> gflops(Shapes.byName(r.shape()).flops() / s / 1e9))
                            .orElse("—"))
                    .append(" | ").append(torchSeconds.map(s -> ratio(s / r.seconds())).orElse("—"))
                    .append(" |\n");
        }
    }

    private static void appendConv(StringBuilder md, BenchResults results, TorchResults torch) {
        md.append("\n## All convolution results\n\n");
        if (results.conv().isEmpty()) {
            md.append("No convolution results in this run.\n");
            return;
        }
        md.append(CONV_HEADER).append("\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ConvResult r : sorted(results.conv())) {
            ConvShape shape = Shapes.byName(r.shape());
            double gflops = r.gflops();
            Optional<Double> peak = results.peak(r.threads());
            Optional<Double> naive = results.naiveSeconds(r.shape(), r.pass());
            Optional<Double> torchSeconds = torch.seconds(r.shape(), r.pass(), r.threads());
            double torchGflops = torchSeconds.map(s -> shape.flops() / s / 1e9).orElse(Double.NaN);
            md.append("| ").append(r.shape())
                    .append(" | ").append(r.pass())
                    .append(" | ").append(r.engine())
                    .append(" | ").append(r.threads())
                    .append(" | ").append(millis(r.seconds()))
                    .append(" | ").append(gflops(gflops))
                    .append(" | ").append(peak.map(p -> percent(gflops * 1e9 / p)).orElse("—"))
                    .append(" | ").append(naive.map(n -> ratio(n / r.seconds())).orElse("—"))
                    .append(" | ").append(torchSeconds.isPresent() ? gflops(torchGflops) : "—")
                    .append(" | ").append(torchSeconds.map(s -> ratio(s / r.seconds())).orElse("—"))
                    .append(" | ").append(bytes(r.allocBytes()))
                    .append(" |\n");
        }
        md.append("""

                GFLOP/s = 2·N·K·(C/groups)·R·S·OH·OW / median time (the same count for all three passes).
                % of peak: of the FMA peak measured above with the same number of threads. × naive: the
                naive reference engine's single-thread time over this time (naive runs the small shapes
                only). conv4j / PyTorch > 1 means conv4j is faster. alloc/op: bytes allocated per call
                (JMH's gc profiler; a few bytes are JMH's own noise).
                """);
    }

    private static void appendPool(StringBuilder md, BenchResults results) {
        if (results.pool().isEmpty()) {
            return;
        }
        md.append("\n## Max-pool 2x2 stride 2\n\n| shape | pass | median µs | alloc/op |\n|---|---|---:|---:|\n");
        for (PoolResult p : results.pool()) {
            md.append("| ").append(p.shape()).append(" | ").append(p.pass()).append(" | ")
                    .append(fixed(p.seconds() * 1e6, p.seconds() * 1e6 >= 100 ? 0 : 1)).append(" | ")
                    .append(bytes(p.allocBytes())).append(" |\n");
        }
    }

    /** Any other benchmark (e.g. one added later) in a generic table: parameters, median score, allocation. */
    private static void appendOthers(StringBuilder md, BenchResults results) {
        if (results.others().isEmpty()) {
            return;
        }
        md.append("\n## Other benchmarks\n\n| benchmark | parameters | JMH threads | median | unit | alloc/op |\n"
                + "|---|---|---:|---:|---|---:|\n");
        for (JmhRun run : results.others()) {
            String params = run.params().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
            JmhRun.Metric alloc = run.secondary(BenchResults.ALLOC_METRIC);
            double median = run.primaryMetric().median();
            md.append("| ").append(run.benchmark().substring(run.benchmark().lastIndexOf('.', run.benchmark()
                            .lastIndexOf('.') - 1) + 1))
                    .append(" | ").append(params.isEmpty() ? "—" : params)
                    .append(" | ").append(run.threads())
                    .append(" | ").append(fixed(median, median >= 100 ? 0 : median >= 1 ? 2 : 4))
                    .append(" | ").append(run.primaryMetric().scoreUnit())
                    .append(" | ").append(bytes(alloc == null ? Double.NaN : alloc.median()))
                    .append(" |\n");
        }
    }

    /** Report order: shapes as in {@link Shapes#ALL}, passes as in {@link Pass}, naive first, then threads. */
    static List<ConvResult> sorted(List<ConvResult> rows) {
        List<String> shapeOrder = Shapes.ALL.stream().map(ConvShape::name).toList();
        List<String> passOrder = List.of(Pass.values()).stream().map(Pass::id).toList();
        List<ConvResult> out = new ArrayList<>(rows);
        out.sort(Comparator.<ConvResult>comparingInt(r -> shapeOrder.indexOf(r.shape()))
                .thenComparingInt(r -> passOrder.indexOf(r.pass()))
                .thenComparing(r -> !r.engine().equals(NaiveConvEngine.NAME))
                .thenComparing(ConvResult::engine)
                .thenComparingInt(ConvResult::threads));
        return out;
    }

    static String millis(double seconds) {
        double ms = seconds * 1e3;
        return fixed(ms, ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3);
    }

    static String gflops(double g) {
        return Double.isNaN(g) ? "—" : fixed(g, g >= 10 ? 1 : 2);
    }

    static String percent(double fraction) {
        return fixed(fraction * 100, 1) + " %";
    }

    static String ratio(double r) {
        return fixed(r, r >= 10 ? 0 : r >= 1 ? 1 : 2) + "×";
    }

    /** Bytes per call: exact below 1 KiB (JMH's own few bytes stay visible as such), else KiB/MiB. */
    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "—";
        }
        for (Map.Entry<Double, String> unit : List.of(Map.entry(1024.0 * 1024, "MiB"), Map.entry(1024.0, "KiB"))) {
            if (b >= unit.getKey()) {
                return fixed(b / unit.getKey(), 1) + " " + unit.getValue();
            }
        }
        return fixed(b, 0) + " B";
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
