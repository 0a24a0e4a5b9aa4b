package org.conv4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report generator on canned JMH and PyTorch JSON (bench/src/test/resources): every number in the
 * expected rows is worked out by hand from the canned medians, so a wrong formula, unit or lookup
 * shows as a changed cell. No benchmark is run and nothing is timed.
 */
class ReportMainTest {
    private static Path jmh;
    private static Path torch;

    @TempDir
    Path out;

    @BeforeAll
    static void resources() throws URISyntaxException {
        jmh = Path.of(ReportMainTest.class.getResource("jmh-canned.json").toURI());
        torch = Path.of(ReportMainTest.class.getResource("pytorch-canned.json").toURI());
    }

    @Test
    void tableRowsFollowFromTheCannedMedians() throws IOException {
        ReportMain.main(new String[] {"--out", out.toString(), "--torch", torch.toString(), "--title", "canned",
                "--machine", "test machine", "--command", "bench/run --quick", "--load", "1.50 / 2.50", jmh.toString()});
        List<String> lines = Files.readAllLines(out.resolve("report.md"));
        assertEquals("# canned", lines.getFirst());
        assertTrue(lines.contains("- Machine: test machine"), lines::toString);
        assertTrue(lines.contains("- Reproduce: `bench/run --quick`"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("- Load average (1 min) 1.50 / 2.50: ")), lines::toString);
        assertTrue(lines.contains("- PyTorch: 1.13.0a0 (oneDNN v2.6.3)"), lines::toString);

        // peak: the best iteration of the flops counter, per JMH thread count
        assertRowsInOrder(lines, "| 1 | 100.0 |", "| 2 | 200.0 |");

        // lenet-c2 = 30.72 MFLOP. naive 20 ms (the median of 19, 20, 24, not the score 21): 1.54 GFLOP/s,
        // 1.5 % of 100 GFLOP/s; PyTorch 0.25 ms = 122.9 GFLOP/s, 0.25/20 = 0.01x
        // im2col 1 thread 1 ms (no gc profile): 30.7 GFLOP/s, 20x naive, PyTorch 0.25/1 = 0.25x
        // simd 1 thread 0.5 ms (median of 0.4, 0.5, 0.6, 0.5 over two forks): 61.4 GFLOP/s, 40x naive
        // simd 2 threads 250 us/op: 122.9 GFLOP/s, 61.4 % of the 2-thread peak, 80x naive, PyTorch 0.5 ms
        // im2col resnet-64 (231.2 MFLOP) 2 ms: 115.6 GFLOP/s, no naive, no PyTorch, no gc profile
        assertRowsInOrder(lines,
                MarkdownReport.CONV_HEADER,
                "| lenet-c2 | forward | naive | 1 | 20.0 | 1.54 | 1.5 % | 1.0× | 122.9 | 0.01× | 1.4 MiB |",
                "| lenet-c2 | forward | im2col | 1 | 1.00 | 30.7 | 30.7 % | 20× | 122.9 | 0.25× | — |",
                "| lenet-c2 | forward | simd | 1 | 0.500 | 61.4 | 61.4 % | 40× | 122.9 | 0.50× | 16 B |",
                "| lenet-c2 | forward | simd | 2 | 0.250 | 122.9 | 61.4 % | 80× | 61.4 | 2.0× | 0 B |",
                "| resnet-64 | backwardWeight | im2col | 1 | 2.00 | 115.6 | 115.6 % | — | — | — | — |");
        assertRowsInOrder(lines, "| lenet | forward | 1000 | 280 B |");

        // headline: the fastest non-naive engine per shape, pass and thread count (simd beats im2col's
        // 1 ms at lenet-c2), 1-thread rows first
        assertRowsInOrder(lines,
                MarkdownReport.BEST_HEADER,
                "| lenet-c2 | forward | 1 | simd | 61.4 | 61.4 % | 122.9 | 0.50× |",
                "| resnet-64 | backwardWeight | 1 | im2col | 115.6 | 115.6 % | — | — |",
                "| lenet-c2 | forward | 2 | simd | 122.9 | 61.4 % | 61.4 | 2.0× |",
                MarkdownReport.CONV_HEADER);

        // a benchmark the report has no table for gets the generic one
        assertRowsInOrder(lines, "| LeNetStepBenchmark.step | engine=simd, threads=1 | 1 | 12.50 | ms/op | 2.0 KiB |");

        BufferedImage chart = ImageIO.read(out.resolve("chart.png").toFile());
        assertEquals(BarChart.WIDTH, chart.getWidth());
        // two passes measured (forward, backwardWeight): two panels
        assertEquals(2 * BarChart.PANEL_HEIGHT, chart.getHeight());
    }

    @Test
    void absentTorchIsSaidAndLeavesItsColumnsEmpty() throws IOException {
        Files.writeString(out.resolve("torch.json"),
                "{\"available\": false, \"reason\": \"python3 cannot import torch\"}");
        ReportMain.main(new String[] {"--out", out.toString(), "--torch", out.resolve("torch.json").toString(),
                jmh.toString()});
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("- PyTorch: absent (python3 cannot import torch)"), report);
        assertTrue(report.contains(
                "| lenet-c2 | forward | simd | 1 | 0.500 | 61.4 | 61.4 % | 40× | — | — | 16 B |"), report);
    }

    @Test
    void torchFilesMerge() throws IOException {
        Files.writeString(out.resolve("absent.json"), "{\"available\": false, \"reason\": \"no torch\"}");
        TorchResults merged = TorchResults.read(List.of(torch, out.resolve("absent.json"), torch));
        assertTrue(merged.available());
        assertEquals(4, merged.results().size());
        assertEquals(0.0005, merged.seconds("lenet-c2", "forward", 2).orElseThrow());
        assertEquals("no torch", TorchResults.read(List.of(out.resolve("absent.json"))).reason());
    }

    @Test
    void missingTorchFileMeansTorchWasNotRun() throws IOException {
        ReportMain.main(new String[] {"--out", out.toString(), jmh.toString()});
        assertTrue(Files.readString(out.resolve("report.md")).contains("- PyTorch: absent (PyTorch was not run"));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException noInput = assertThrows(IllegalArgumentException.class,
                () -> ReportMain.main(new String[] {"--out", out.toString()}));
        assertTrue(noInput.getMessage().startsWith("arguments: expected --out DIR and at least one JMH JSON file"),
                noInput.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ReportMain.main(new String[] {"--bogus"}));
        assertTrue(unknown.getMessage().contains("got --bogus"), unknown.getMessage());
    }

    @Test
    void notJmhJsonIsReportedWithTheFileName() throws IOException {
        Path bad = out.resolve("bad.json");
        Files.writeString(bad, "{\"not\": \"an array\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportMain.main(new String[] {"--out", out.toString(), bad.toString()}));
        assertTrue(e.getMessage().startsWith(bad + ": expected a JMH JSON result array"), e.getMessage());
    }

    private static void assertRowsInOrder(List<String> lines, String... rows) {
        int from = 0;
        for (String row : rows) {
            int at = lines.subList(from, lines.size()).indexOf(row);
            int after = from;
            assertTrue(at >= 0, () -> "expected row after line " + after + ": " + row + "\nin:\n"
                    + String.join("\n", lines));
            from += at + 1;
        }
    }
}
