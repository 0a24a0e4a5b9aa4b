package org.conv4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code report.md} and {@code chart.png} from JMH JSON files and PyTorch's JSON:
 * <pre>
 * ReportMain --out DIR [--torch pytorch.json]... [--title T] [--machine M] [--command C] [--load L] jmh.json...
 * </pre>
 */
public final class ReportMain {
    private ReportMain() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = null;
        List<Path> torchFiles = new ArrayList<>();
        String load = null;
        String title = null;
        String machine = null;
        String command = null;
        List<Path> jmhFiles = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--torch" -> torchFiles.add(Path.of(value(args, ++i, "--torch")));
                case "--load" -> load = value(args, ++i, "--load");
                case "--title" -> title = value(args, ++i, "--title");
                case "--machine" -> machine = value(args, ++i, "--machine");
                case "--command" -> command = value(args, ++i, "--command");
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("option: expected --out, --torch, --title, --machine, "
                                + "--command or --load, got " + args[i]);
                    }
                    jmhFiles.add(Path.of(args[i]));
                }
            }
        }
        if (out == null || jmhFiles.isEmpty()) {
            throw new IllegalArgumentException("arguments: expected --out DIR and at least one JMH JSON file, got "
                    + String.join(" ", args));
        }
        Path report = write(jmhFiles, TorchResults.read(torchFiles), new ReportInfo(title, machine, command, load),
                out);
        System.out.println("report: " + report);
    }

    /** Writes report.md and chart.png into {@code out} and returns the report's path. */
    public static Path write(List<Path> jmhFiles, TorchResults torch, ReportInfo info, Path out) throws IOException {
        BenchResults results = BenchResults.of(JmhResults.read(jmhFiles));
        Files.createDirectories(out);
        Path report = out.resolve("report.md");
        Files.writeString(report, MarkdownReport.render(results, torch, info));
        if (!results.conv().isEmpty()) {
            BarChart.write(results, torch, out.resolve("chart.png"));
        }
        return report;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + ": expected a value, got the end of the arguments");
        }
        return args[i];
    }
}
