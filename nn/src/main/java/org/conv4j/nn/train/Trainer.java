package org.conv4j.nn.train;

import java.util.Map;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Parameter;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.MiniBatches;
import org.conv4j.nn.loss.SoftmaxCrossEntropy;
import org.conv4j.nn.optim.LrSchedule;
import org.conv4j.nn.optim.Optimizer;

/**
 * Mini-batch training of a classifier with softmax cross-entropy: forward, loss, backward, optimiser step,
 * for each batch of an epoch. A non-finite loss stops training with {@link DivergedException} before the
 * step that would spread it into the weights.
 */
public final class Trainer {
    private final Layer model;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Map<String, Parameter> parameters;

    public Trainer(Layer model, Optimizer optimizer, LrSchedule schedule) {
        if (model == null || optimizer == null || schedule == null) {
            throw new IllegalArgumentException("model, optimizer, schedule: expected non-null, got "
                    + model + ", " + optimizer + ", " + schedule);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.parameters = model.parameters();
        model.setInputGradientNeeded(false); // nothing consumes the gradient of the images
    }

    /** Called after each training step with running means over the epoch so far. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, int steps, long samples, double meanLoss, double accuracy);
    }

    /** Loss, accuracy and speed of one training epoch. */
    public record EpochStats(int epoch, double lr, double loss, double accuracy, long samples, double seconds) {
        public double samplesPerSecond() {
            return samples / seconds;
        }
    }

    /** Thrown when the loss stops being a finite number. */
    public static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int epoch;
        private final int step;

        public DivergedException(int epoch, int step, double loss) {
            super("training diverged: loss " + loss + " at epoch " + (epoch + 1) + ", step " + step
                    + " (try a lower --lr)");
            this.epoch = epoch;
            this.step = step;
        }

        /** The epoch, counted from 0. */
        public int epoch() {
            return epoch;
        }

        /** The step within the epoch, counted from 1. */
        public int step() {
            return step;
        }
    }

    /** Trains one epoch ({@code epoch} counts from 0 and picks the shuffle order and learning rate). */
    public EpochStats trainEpoch(MiniBatches batches, int epoch, StepListener listener) {
        double lr = schedule.at(epoch);
        model.setTraining(true);
        batches.start(epoch);
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0, samples = 0;
        int step = 0, steps = batches.count();
        while (batches.hasNext()) {
            Tensor x = batches.next();
            int n = batches.size();
            step++;
            Tensor logits = model.forward(x);
            double l = loss.forward(logits, batches.labels());
            if (!Double.isFinite(l)) {
                throw new DivergedException(epoch, step, l);
            }
            model.backward(loss.gradient());
            optimizer.step(parameters, lr);
            lossSum += l * n;
            correct += loss.correct();
            samples += n;
            if (listener != null) {
                listener.onStep(step, steps, samples, lossSum / samples, (double) correct / samples);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochStats(epoch, lr, lossSum / samples, (double) correct / samples, samples, seconds);
    }

    /** Evaluates in evaluation mode (running statistics, no dropout), then restores training mode. */
    public static Evaluation evaluate(Layer model, Dataset data, int batchSize) {
        return evaluate(model, data, batchSize, null);
    }

    /** As {@link #evaluate(Layer, Dataset, int)}, also storing each image's predicted class when {@code predictions} is not null. */
    public static Evaluation evaluate(Layer model, Dataset data, int batchSize, int[] predictions) {
        if (predictions != null && predictions.length != data.size()) {
            throw new IllegalArgumentException("predictions: expected length " + data.size() + ", got " + predictions.length);
        }
        model.setTraining(false);
        try {
            MiniBatches batches = new MiniBatches(data, batchSize, false, 0);
            batches.start(0);
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            int k = data.classes();
            long[][] confusion = new long[k][k];
            double lossSum = 0;
            int seen = 0;
            while (batches.hasNext()) {
                Tensor x = batches.next();
                Tensor logits = model.forward(x);
                if (logits.rank() != 2 || logits.dim(1) != k) {
                    throw new IllegalArgumentException("model: expected outputs [N, " + k + "] for " + k
                            + " classes, got " + java.util.Arrays.toString(logits.shape()));
                }
                lossSum += ce.forward(logits, batches.labels()) * batches.size();
                float[] z = logits.data();
                for (int i = 0; i < batches.size(); i++) {
                    int arg = 0;
                    for (int j = 1; j < k; j++) {
                        if (z[i * k + j] > z[i * k + arg]) {
                            arg = j;
                        }
                    }
                    confusion[batches.labels()[i]][arg]++;
                    if (predictions != null) {
                        predictions[seen + i] = arg;
                    }
                }
                seen += batches.size();
            }
            return new Evaluation(lossSum / data.size(), confusion);
        } finally {
            model.setTraining(true);
        }
    }
}
