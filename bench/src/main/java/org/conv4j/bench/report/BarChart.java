package org.conv4j.bench.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.conv4j.bench.ConvShape;
import org.conv4j.bench.Pass;
import org.conv4j.bench.Shapes;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The report's PNG: one bar chart of GFLOP/s per pass (stacked vertically), shapes along the x axis,
 * one bar series per engine and thread count plus PyTorch, on a logarithmic axis because naive and the
 * fast engines differ by orders of magnitude.
 */
public final class BarChart {
    static final int WIDTH = 1600;
    static final int PANEL_HEIGHT = 520;

    private BarChart() {
    }

    public static void write(BenchResults results, TorchResults torch, Path png) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        for (Pass pass : Pass.values()) {
            CategoryChart chart = chart(results, torch, pass);
            if (chart != null) {
                panels.add(BitmapEncoder.getBufferedImage(chart));
            }
        }
        int height = Math.max(1, panels.stream().mapToInt(BufferedImage::getHeight).sum());
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            int y = 0;
            for (BufferedImage panel : panels) {
                g.drawImage(panel, 0, y, null);
                y += panel.getHeight();
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    /** The chart of one pass, or null when nothing was measured for it. */
    private static CategoryChart chart(BenchResults results, TorchResults torch, Pass pass) {
        List<ConvResult> rows = results.conv().stream().filter(r -> r.pass().equals(pass.id())).toList();
        if (rows.isEmpty()) {
            return null;
        }
        List<ConvShape> shapes = Shapes.ALL.stream()
                .filter(s -> rows.stream().anyMatch(r -> r.shape().equals(s.name()))).toList();
        List<String> categories = shapes.stream().map(ConvShape::name).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (ConvResult r : MarkdownReport.sorted(rows)) {
            series.computeIfAbsent(r.engine() + " t=" + r.threads(), k -> nanList(categories.size()))
                    .set(categories.indexOf(r.shape()), r.gflops());
        }
        Set<Integer> threadCounts = new LinkedHashSet<>(rows.stream().map(ConvResult::threads).sorted().toList());
        for (int threads : threadCounts) {
            List<Double> values = nanList(categories.size());
            for (int i = 0; i < shapes.size(); i++) {
                ConvShape shape = shapes.get(i);
                int at = i;
                torch.seconds(shape.name(), pass.id(), threads).ifPresent(s -> values.set(at, shape.flops() / s / 1e9));
            }
            if (values.stream().anyMatch(v -> !v.isNaN())) {
                series.put("pytorch t=" + threads, values);
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(PANEL_HEIGHT)
                .title(pass.id() + " — GFLOP/s (log scale)").xAxisTitle("shape").yAxisTitle("GFLOP/s").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(20);
        // bars start at the axis minimum, which XChart puts at 0 unless told: log axes need a decade below the data
        double smallest = series.values().stream().flatMap(List::stream).filter(v -> !v.isNaN() && v > 0)
                .mapToDouble(Double::doubleValue).min().orElse(1);
        double largest = series.values().stream().flatMap(List::stream).filter(v -> !v.isNaN())
                .mapToDouble(Double::doubleValue).max().orElse(10);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(largest))));
        series.forEach((name, values) -> chart.addSeries(name, categories, zeroForMissing(values)));
        return chart;
    }

    private static List<Double> nanList(int size) {
        List<Double> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(Double.NaN);
        }
        return list;
    }

    /** XChart needs a value for every category: a missing bar is drawn as no bar (null). */
    private static List<Double> zeroForMissing(List<Double> values) {
        return values.stream().map(v -> v.isNaN() ? null : v).toList();
    }
}
