package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.train.Models;

/**
 * What a CNN learns in place of hand-drawn templates: the digits CNN is trained briefly, then its first layer's
 * 3x3 filters and their feature maps (after the ReLU) for one held-out digit are drawn as a PNG grid.
 */
public final class FeatureMaps implements Demo {
    public static final int DEFAULT_EPOCHS = 5;
    /** Tiles per row of the picture. */
    public static final int COLUMNS = 8;
    /** Pixels per value: an 8x8 map becomes a 128-pixel tile, a 3x3 filter a 96-pixel one. */
    public static final int MAP_CELL = 16;
    public static final int FILTER_CELL = 32;
    public static final String PICTURE = "feature-maps.png";

    @Override
    public String name() {
        return "feature-maps";
    }

    @Override
    public String summary() {
        return "the learned first-layer filters of the digits CNN and their feature maps for one image, as a PNG grid";
    }

    /**
     * The learned filters {@code [K, 1, R, S]} and biases {@code [K]}, the image {@code [1, 1, H, W]} and the feature maps
     * {@code [1, K, H, W]} after the first convolution and its ReLU, and the test accuracy reached.
     */
    public record Result(Tensor filters, Tensor bias, Tensor image, int label, Tensor maps, double accuracy, int epochs) {
    }

    /** Trains the digits CNN for {@code epochs} and shows test image {@code index} through its first layer. */
    public static Result compute(int epochs, long seed, Integer limit, int index) {
        Dataset[] raw = DemoTraining.digits();
        if (index < 0 || index >= raw[1].size()) {
            throw new IllegalArgumentException("index: expected 0.." + (raw[1].size() - 1) + ", got " + index);
        }
        Dataset[] norm = DemoTraining.normalized(DemoTraining.limited(raw[0], limit), raw[1]);
        Sequential cnn = Models.build("digits-cnn", norm[0].imageShape(), 10, seed);
        double acc = DemoTraining.trainAndTest(cnn, norm[0], norm[1], epochs, seed);
        Dataset one = norm[1].subset("one", new int[] {index});
        Tensor image = Tensor.wrap(one.images(), 1, 1, one.height(), one.width());
        Layer conv = cnn.layers().get(0), relu = cnn.layers().get(1);
        cnn.setTraining(false);
        Tensor maps = relu.forward(conv.forward(image)).copy();
        Tensor filters = ((Conv2d) conv).weight().value().copy();
        Tensor bias = ((Conv2d) conv).bias().value().copy();
        Tensor shown = Tensor.wrap(raw[1].subset("one", new int[] {index}).images(), 1, 1, one.height(), one.width());
        return new Result(filters, bias, shown, one.labels()[0], maps, acc, epochs);
    }

    /** The picture's sections: the image, the filters, the feature maps. */
    static List<TileSheet.Section> sections(Result r) {
        int k = r.filters().dim(0), fr = r.filters().dim(2), fs = r.filters().dim(3);
        int h = r.maps().dim(2), w = r.maps().dim(3);
        List<TileSheet.Tile> filters = new ArrayList<>(), maps = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            filters.add(new TileSheet.Tile("filter " + i, r.filters().data(), i * fr * fs, fr, fs, true));
            maps.add(new TileSheet.Tile("map " + i, r.maps().data(), i * h * w, h, w, false));
        }
        return List.of(
                new TileSheet.Section("held-out digit (label " + r.label() + ")",
                        List.of(new TileSheet.Tile("input " + h + "x" + w, r.image().data(), 0, h, w, false)), COLUMNS, MAP_CELL),
                new TileSheet.Section(k + " learned " + fr + "x" + fs + " filters of conv1 (red +, blue -)", filters, COLUMNS,
                        FILTER_CELL),
                new TileSheet.Section("their feature maps for this digit, after ReLU (white = strongest)", maps, COLUMNS,
                        MAP_CELL));
    }

    @Override
    public void run(DemoOptions options, PrintStream out) throws IOException {
        Result r = compute(options.epochsOr(DEFAULT_EPOCHS), options.seed(), options.limit(), 0);
        out.printf(Locale.ROOT, "digits-cnn trained %d epochs (seed %d): %.1f%% on the held-out digits%n", r.epochs(),
                options.seed(), 100 * r.accuracy());
        out.println("held-out digit 0 (label " + r.label() + "):");
        out.print(Grids.of(r.image().data(), 0, r.image().dim(2), r.image().dim(3), "  "));
        int k = r.filters().dim(0);
        out.printf(Locale.ROOT, "%d learned filters %dx%d; feature map of the strongest (largest total response):%n", k,
                r.filters().dim(2), r.filters().dim(3));
        int plane = r.maps().dim(2) * r.maps().dim(3), best = 0;
        double bestSum = -1;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int p = 0; p < plane; p++) {
                s += r.maps().data()[i * plane + p];
            }
            if (s > bestSum) {
                bestSum = s;
                best = i;
            }
        }
        out.println("  filter " + best + ":");
        out.print(Grids.of(r.filters().data(), best * r.filters().dim(2) * r.filters().dim(3), r.filters().dim(2),
                r.filters().dim(3), "    "));
        out.println("  its feature map:");
        out.print(Grids.of(r.maps().data(), best * plane, r.maps().dim(2), r.maps().dim(3), "    "));
        List<TileSheet.Section> sections = sections(r);
        Path png = options.picture(PICTURE);
        Pictures.write(png, TileSheet.render(sections));
        out.printf(Locale.ROOT, "picture (%d x %d pixels, %d filters and %d maps, %d to a row): %s%n",
                TileSheet.width(sections), TileSheet.height(sections), k, k, COLUMNS, png);
    }
}
