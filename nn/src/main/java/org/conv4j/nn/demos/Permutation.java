package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.DatasetLocator;
import org.conv4j.nn.data.Shuffle;
import org.conv4j.nn.layer.Flatten;
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

    /** The four test accuracies, the size of the test set and the MLP's accuracy with permuted weights. */
    public record Result(String dataset, int testImages, int epochs, double mlpOriginal, double mlpPermuted,
                         double cnnOriginal, double cnnPermuted, double mlpOriginalWeightsPermuted) {
        /** The binomial standard error of a difference of two accuracies measured on {@code testImages} images each. */
        public double standardError(double a, double b) {
            return Math.sqrt((a * (1 - a) + b * (1 - b)) / testImages);
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

    /** Flatten, one hidden ReLU layer, the output layer; He-initialised from {@code seed}. */
    public static Sequential mlp(int[] image, int classes, long seed) {
        Sequential m = new Sequential().add("flatten", new Flatten())
                .add("fc1", new Linear(image[0] * image[1] * image[2], HIDDEN))
                .add("relu1", new ReLU())
                .add("fc2", new Linear(HIDDEN, classes));
        org.conv4j.nn.Init.HE.apply(m, seed);
        return m;
    }

    /** Trains all four on the embedded digits (data null) or Fashion-MNIST's IDX files in {@code data}. */
    public static Result run(java.nio.file.Path data, Integer epochs, Integer limit, long seed) throws IOException {
        Dataset[] sets = data == null ? DigitsTraining.digits()
                : DatasetLocator.load("fashion-mnist", data, null);
        int e = epochs != null ? epochs : data == null ? DIGITS_EPOCHS : FASHION_EPOCHS;
        Dataset[] norm = DigitsTraining.normalized(DigitsTraining.limited(sets[0], limit), sets[1]);
        Dataset train = norm[0], test = norm[1];
        int[] perm = pixelPermutation(train.height(), train.width(), seed);
        Dataset trainP = permuted(train, perm), testP = permuted(test, perm);
        String cnn = data == null ? "digits-cnn" : "cnn-small";
        int[] shape = train.imageShape();
        int k = train.classes();

        Sequential mlp = mlp(shape, k, seed);
        double mlpOrig = DigitsTraining.trainAndTest(mlp, train, test, e, seed);
        double mlpPerm = DigitsTraining.trainAndTest(mlp(shape, k, seed), trainP, testP, e, seed);
        double cnnOrig = DigitsTraining.trainAndTest(Models.build(cnn, shape, k, seed), train, test, e, seed);
        double cnnPerm = DigitsTraining.trainAndTest(Models.build(cnn, shape, k, seed), trainP, testP, e, seed);
        permuteInputWeights(mlp, perm, shape[0]);
        double mlpWeightsPermuted = Trainer.evaluate(mlp, testP, 256).accuracy();
        return new Result(sets[0].name().replace(" (train split)", "").replace(" train", ""), test.size(), e, mlpOrig,
                mlpPerm, cnnOrig, cnnPerm, mlpWeightsPermuted);
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
        Result r = run(options.data(), options.epochs(), options.limit(), options.seed());
        out.printf(Locale.ROOT, "%s: %d held-out images, %d epochs each, seed %d; one fixed random permutation of the"
                + " pixel positions applied to every training and test image.%n%n", r.dataset(), r.testImages(), r.epochs(),
                options.seed());
        out.printf(Locale.ROOT, "%-34s %10s %10s %12s%n", "test accuracy", "original", "permuted", "change");
        row(out, "fully connected (1 hidden layer)", r.mlpOriginal(), r.mlpPermuted(), r);
        row(out, "CNN", r.cnnOriginal(), r.cnnPermuted(), r);
        out.printf(Locale.ROOT, "%n(change in percentage points, with its binomial standard error over %d test images)%n",
                r.testImages());
        out.printf(Locale.ROOT, "The fully-connected net trained on the originals, its input weights permuted like the pixels,"
                + " scores %.2f%% on the permuted test images: exactly its %.2f%% on the originals.%n",
                100 * r.mlpOriginalWeightsPermuted(), 100 * r.mlpOriginal());
        out.println("For it the permutation only renames its inputs; the CNN's filters see neighbouring pixels, and after"
                + " the permutation neighbours no longer belong together.");
    }

    private static void row(PrintStream out, String name, double a, double b, Result r) {
        out.printf(Locale.ROOT, "%-34s %9.2f%% %9.2f%% %+6.2f ± %.2f%n", name, 100 * a, 100 * b, 100 * (b - a),
                100 * r.standardError(a, b));
    }
}
