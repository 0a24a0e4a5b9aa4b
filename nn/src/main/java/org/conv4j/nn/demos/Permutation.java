package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.DatasetLocator;
import org.conv4j.nn.data.Shuffle;
import org.conv4j.nn.Init;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.layer.Flatten;
import org.conv4j.nn.layer.MaxPool2d;
import org.conv4j.nn.layer.Linear;
import org.conv4j.nn.layer.ReLU;
import org.conv4j.nn.train.Models;
import org.conv4j.nn.train.Trainer;

/**
 * The lecture's thought experiment: shuffle the pixels of every image by one fixed random permutation. A
 * fully-connected network has no notion of which pixels are neighbours, so it learns the permuted images as well
 * as the originals; a CNN's small filters and pooling rely on neighbouring pixels belonging together, which the
 * permutation destroys. Both are trained on both, from the same seed.
 */
public final class Permutation implements Demo {
    public static final int DIGITS_EPOCHS = 10;
    public static final int FASHION_EPOCHS = 2;
    /** Hidden units of the fully-connected network: about as many parameters as the digits CNN on 8x8 digits. */
    public static final int HIDDEN = 128;

    @Override
    public String name() {
        return "permutation";
    }

    @Override
    public String summary() {
        return "a fixed pixel permutation: the fully-connected net does not care, the CNN loses accuracy (--data for Fashion-MNIST)";
    }

    /** The networks compared; each is trained once on the original and once on the permuted images. */
    public enum Network {
        /** Flatten, one hidden layer of {@link #HIDDEN} ReLU units, the output layer. */
        MLP("fully connected (1 hidden layer)"),
        /** One convolution of 4 filters 3x3, ReLU, 2x2 max-pool, the output layer: the smallest CNN that learns digits. */
        SMALL_CNN("small CNN (4 filters 3x3, pool)"),
        /** The model zoo's CNN for the data: digits-cnn for the digits, cnn-small for Fashion-MNIST. */
        CNN("CNN (digits-cnn / cnn-small)");

        final String label;

        Network(String label) {
            this.label = label;
        }

        /** The network for images {@code [c, h, w]}, initialised from {@code seed}. */
        public Sequential build(int[] image, int classes, long seed) {
            Sequential m = switch (this) {
                case MLP -> new Sequential().add("flatten", new Flatten())
                        .add("fc1", new Linear(image[0] * image[1] * image[2], HIDDEN))
                        .add("relu1", new ReLU())
                        .add("fc2", new Linear(HIDDEN, classes));
                case SMALL_CNN -> new Sequential().add("conv1", new Conv2d(image[0], SMALL_FILTERS, 3))
                        .add("relu1", new ReLU())
                        .add("pool1", new MaxPool2d(2))
                        .add("flatten", new Flatten())
                        .add("fc1", new Linear(SMALL_FILTERS * (image[1] / 2) * (image[2] / 2), classes));
                case CNN -> Models.build(image[1] <= 8 ? "digits-cnn" : "cnn-small", image, classes, seed);
            };
            Init.HE.apply(m, seed);
            return m;
        }
    }

    /** Filters of the small CNN. */
    public static final int SMALL_FILTERS = 4;

    /** One network's test accuracy on the original and on the permuted images. */
    public record Row(Network network, long parameters, double original, double permuted) {
        public double change() {
            return permuted - original;
        }
    }

    /**
     * The accuracies, the size of the test set, and the MLP's accuracy on the permuted test images after its input
     * weights were permuted like the pixels (NaN when the MLP was not among the networks).
     */
    public record Result(String dataset, int testImages, int epochs, List<Row> rows, double mlpOriginalWeightsPermuted) {
        /** The binomial standard error of a difference of two accuracies measured on {@code testImages} images each. */
        public double standardError(Row r) {
            double a = r.original(), b = r.permuted();
            return Math.sqrt((a * (1 - a) + b * (1 - b)) / testImages);
        }

        public Row row(Network n) {
            return rows.stream().filter(r -> r.network() == n).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("network: expected one of " + rows + ", got " + n));
        }
    }

    /** A permutation of each image's pixel positions (the same for every channel). */
    public static int[] pixelPermutation(int height, int width, long seed) {
        return Shuffle.permutation(height * width, new SplittableRandom(seed));
    }

    /** The dataset with pixel {@code p} of every image moved from position {@code permutation[p]}. */
    public static Dataset permuted(Dataset d, int[] permutation) {
        int plane = d.height() * d.width(), planes = d.size() * d.channels();
        if (permutation.length != plane) {
            throw new IllegalArgumentException("permutation: expected " + plane + " positions, got " + permutation.length);
        }
        float[] src = d.images(), dst = new float[src.length];
        for (int i = 0; i < planes; i++) {
            int base = i * plane;
            for (int p = 0; p < plane; p++) {
                dst[base + p] = src[base + permutation[p]];
            }
        }
        return new Dataset(d.name() + " (pixels permuted)", dst, d.labels(), d.channels(), d.height(), d.width(), d.classes());
    }

    /** Trains each network on the embedded digits (data null) or Fashion-MNIST's IDX files in {@code data}. */
    public static Result compare(Path data, Integer epochs, Integer limit, long seed, List<Network> networks) throws IOException {
        Dataset[] sets = data == null ? DemoTraining.digits() : DatasetLocator.load("fashion-mnist", data, null);
        int e = epochs != null ? epochs : data == null ? DIGITS_EPOCHS : FASHION_EPOCHS;
        Dataset[] norm = DemoTraining.normalized(DemoTraining.limited(sets[0], limit), sets[1]);
        Dataset train = norm[0], test = norm[1];
        int[] perm = pixelPermutation(train.height(), train.width(), seed);
        Dataset trainP = permuted(train, perm), testP = permuted(test, perm);
        int[] shape = train.imageShape();
        int k = train.classes();
        List<Row> rows = new ArrayList<>();
        double mlpWeightsPermuted = Double.NaN;
        for (Network n : networks) {
            Sequential original = n.build(shape, k, seed);
            double a = DemoTraining.trainAndTest(original, train, test, e, seed);
            double b = DemoTraining.trainAndTest(n.build(shape, k, seed), trainP, testP, e, seed);
            rows.add(new Row(n, original.parameterCount(), a, b));
            if (n == Network.MLP) {
                permuteInputWeights(original, perm, shape[0]);
                mlpWeightsPermuted = Trainer.evaluate(original, testP, 256).accuracy();
            }
        }
        String name = data == null ? "digits" : "fashion-mnist";
        return new Result(name, test.size(), e, rows, mlpWeightsPermuted);
    }

    /**
     * Moves the columns of the first fully-connected layer's weights with the pixels: the network then computes on
     * permuted images exactly what it computed on the originals, the permutation being a mere relabelling of its inputs.
     */
    static void permuteInputWeights(Sequential mlp, int[] perm, int channels) {
        Layer first = mlp.layers().get(1);
        Tensor w = ((Linear) first).weight().value();
        int in = w.dim(1), plane = perm.length;
        float[] d = w.data();
        float[] row = new float[in];
        for (int o = 0; o < w.dim(0); o++) {
            System.arraycopy(d, o * in, row, 0, in);
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    d[o * in + c * plane + p] = row[c * plane + perm[p]];
                }
            }
        }
    }

    @Override
    public void run(DemoOptions options, PrintStream out) throws IOException {
        Result r = compare(options.data(), options.epochs(), options.limit(), options.seed(), List.of(Network.values()));
        out.printf(Locale.ROOT, "%s: %d held-out images, %d epochs each, seed %d; one fixed random permutation of the"
                + " pixel positions applied to every training and test image.%n%n", r.dataset(), r.testImages(), r.epochs(),
                options.seed());
        out.printf(Locale.ROOT, "%-34s %10s %10s %10s %14s%n", "test accuracy", "parameters", "original", "permuted", "change");
        for (Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-34s %,10d %9.2f%% %9.2f%% %+7.2f ± %.2f%n", row.network().label, row.parameters(),
                    100 * row.original(), 100 * row.permuted(), 100 * row.change(), 100 * r.standardError(row));
        }
        out.printf(Locale.ROOT, "%n(change in percentage points ± its binomial standard error over %d test images)%n",
                r.testImages());
        out.printf(Locale.ROOT, "The fully-connected net trained on the originals, its input weights permuted like the pixels,"
                + " scores %.2f%% on the permuted test images: exactly its %.2f%% on the originals.%n",
                100 * r.mlpOriginalWeightsPermuted(), 100 * r.row(Network.MLP).original());
        out.println("For it the permutation only renames its inputs. A CNN's filters look at neighbouring pixels, and"
                + " after the permutation neighbours no longer belong together: the fewer filters it has, the more it loses.");
    }
}
