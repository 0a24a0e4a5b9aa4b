package org.conv4j.nn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Labelled images held in memory: {@code size} images of {@code [channels, height, width]} floats, row-major,
 * one after another, and one class label each in {@code [0, classes)}.
 */
public final class Dataset {
    private final String name;
    private final float[] images;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;

    public Dataset(String name, float[] images, int[] labels, int channels, int height, int width, int classes) {
        if (images == null || labels == null) {
            throw new IllegalArgumentException("images, labels: expected arrays, got null");
        }
        if (channels < 1 || height < 1 || width < 1 || classes < 1) {
            throw new IllegalArgumentException("channels, height, width, classes: expected >= 1, got " + channels
                    + ", " + height + ", " + width + ", " + classes);
        }
        long per = (long) channels * height * width;
        if (images.length != per * labels.length) {
            throw new IllegalArgumentException("images: expected " + labels.length + " x " + per + " = "
                    + per * labels.length + " values for " + labels.length + " labels, got " + images.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels: expected classes in [0, " + classes + "), got "
                        + labels[i] + " at index " + i + " of " + name);
            }
        }
        this.name = name;
        this.images = images;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classes;
    }

    /** Floats per image: channels x height x width. */
    public int imageSize() {
        return channels * height * width;
    }

    /** {@code [channels, height, width]}. */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    /** The backing pixel array (not a copy). */
    public float[] images() {
        return images;
    }

    /** The backing label array (not a copy). */
    public int[] labels() {
        return labels;
    }

    /** The mean and standard deviation of all pixel values (population), in double. */
    public double[] meanAndStd() {
        double sum = 0;
        for (float v : images) {
            sum += v;
        }
        double mean = sum / images.length, sq = 0;
        for (float v : images) {
            sq += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(sq / images.length)};
    }

    /** A new dataset with {@code (x - mean) / std} applied to every pixel. */
    public Dataset normalized(double mean, double std) {
        if (!(std > 0) || Double.isNaN(mean) || Double.isInfinite(mean) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("mean, std: expected finite values with std > 0, got " + mean + ", " + std);
        }
        float[] out = new float[images.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((images[i] - mean) / std);
        }
        return new Dataset(name, out, labels, channels, height, width, classes);
    }

    /** The images at {@code indices}, in that order. */
    public Dataset subset(String subsetName, int[] indices) {
        int per = imageSize();
        float[] x = new float[indices.length * per];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images, indices[i] * per, x, i * per, per);
            y[i] = labels[indices[i]];
        }
        return new Dataset(subsetName, x, y, channels, height, width, classes);
    }

    /**
     * A seeded split: a shuffled {@code testFraction} of each class goes to the second dataset (stratified, so
     * both keep the class balance), the rest to the first.
     */
    public Dataset[] split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction: expected 0 < f < 1, got " + testFraction);
        }
        int[] order = Shuffle.permutation(size(), new SplittableRandom(seed));
        int[] perClass = new int[classes];
        for (int y : labels) {
            perClass[y]++;
        }
        int[] taken = new int[classes];
        int[] train = new int[size()], test = new int[size()];
        int nTrain = 0, nTest = 0;
        for (int i : order) {
            int y = labels[i];
            if (taken[y] < Math.round(perClass[y] * testFraction)) {
                taken[y]++;
                test[nTest++] = i;
            } else {
                train[nTrain++] = i;
            }
        }
        return new Dataset[] {subset(name + " (train split)", Arrays.copyOf(train, nTrain)),
            subset(name + " (test split)", Arrays.copyOf(test, nTest))};
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images of " + channels + "x" + height + "x" + width + ", " + classes + " classes";
    }
}
