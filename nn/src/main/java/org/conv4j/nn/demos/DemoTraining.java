package org.conv4j.nn.demos;

import org.conv4j.nn.Layer;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.DigitsCsv;
import org.conv4j.nn.data.MiniBatches;
import org.conv4j.nn.optim.Adam;
import org.conv4j.nn.optim.LrSchedule;
import org.conv4j.nn.train.Trainer;

/** The training the demos share: the embedded digits split, normalisation by the training set, a short seeded Adam run. */
final class DemoTraining {
    /** The same held-out 20% as {@code conv4j train} (its DataOptions), so accuracies are comparable. */
    static final double TEST_FRACTION = 0.2;
    static final long SPLIT_SEED = 20260101L;
    /** Small batches and a high rate: the 1,437 training digits are learnt in a few epochs. */
    static final int BATCH = 32;
    static final double LEARNING_RATE = 3e-3;

    private DemoTraining() {
    }

    /** The embedded digits as {training, test}, pixels in [0, 1]. */
    static Dataset[] digits() {
        return DigitsCsv.embedded().split(TEST_FRACTION, SPLIT_SEED);
    }

    /** {training, test} normalised with the training set's mean and standard deviation. */
    static Dataset[] normalized(Dataset train, Dataset test) {
        double[] ms = train.meanAndStd();
        return new Dataset[] {train.normalized(ms[0], ms[1]), test.normalized(ms[0], ms[1])};
    }

    /** The first {@code limit} images, or all when limit is null. */
    static Dataset limited(Dataset d, Integer limit) {
        if (limit == null || limit >= d.size()) {
            return d;
        }
        return d.subset(d.name(), java.util.stream.IntStream.range(0, limit).toArray());
    }

    /** Trains {@code model} for {@code epochs} with Adam (shuffled from {@code seed}) and returns its test accuracy. */
    static double trainAndTest(Layer model, Dataset train, Dataset test, int epochs, long seed) {
        Trainer trainer = new Trainer(model, new Adam(), LrSchedule.constant(LEARNING_RATE));
        MiniBatches batches = new MiniBatches(train, BATCH, true, seed);
        for (int e = 0; e < epochs; e++) {
            trainer.trainEpoch(batches, e, null);
        }
        return Trainer.evaluate(model, test, 256).accuracy();
    }
}
