package org.conv4j.nn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.conv4j.nn.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The PNG of the training curves: loss per epoch and accuracy per epoch, side by side. */
final class Plots {
    private Plots() {
    }

    static void trainingCurves(Path png, String title, List<Metrics.Epoch> epochs) throws IOException {
        double[] x = epochs.stream().mapToDouble(e -> e.epoch()).toArray();
        XYChart loss = new XYChartBuilder().width(640).height(420).title(title + ": loss").xAxisTitle("epoch")
                .yAxisTitle("cross-entropy").build();
        loss.addSeries("train", x, epochs.stream().mapToDouble(Metrics.Epoch::trainLoss).toArray());
        loss.addSeries("test", x, epochs.stream().mapToDouble(Metrics.Epoch::testLoss).toArray());
        XYChart acc = new XYChartBuilder().width(640).height(420).title(title + ": accuracy").xAxisTitle("epoch")
                .yAxisTitle("accuracy (%)").build();
        acc.addSeries("train", x, epochs.stream().mapToDouble(e -> 100 * e.trainAccuracy()).toArray());
        acc.addSeries("test", x, epochs.stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray());
        Path tmp = Files.createTempFile("conv4j-plot", ".png");
        try {
            BitmapEncoder.saveBitmap(List.of(loss, acc), 1, 2, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(png, Files.readAllBytes(tmp));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
