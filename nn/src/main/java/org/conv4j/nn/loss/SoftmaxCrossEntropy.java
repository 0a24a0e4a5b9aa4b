package org.conv4j.nn.loss;

import org.conv4j.core.Tensor;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * Mean softmax cross-entropy of logits {@code [N, K]} against class labels, computed stably through
 * log-sum-exp ({@code log sum_j e^(z_j - max z)} never overflows). {@link #forward} also leaves the gradient
 * {@code (softmax(z) - onehot(label)) / N} and the number of correct argmax predictions.
 */
public final class SoftmaxCrossEntropy {
    private final Workspace gradBuf = new Workspace();
    private Tensor gradient;
    private int correct;

    /** The mean loss over the batch; {@code labels[i]} is the class of row i (only the first N are read). */
    public double forward(Tensor logits, int[] labels) {
        int[] s = Shapes.rank("logits", Shapes.of("logits", logits), 2, "[N, classes]");
        int n = s[0], k = s[1];
        if (labels == null || labels.length < n) {
            throw new IllegalArgumentException("labels: expected at least " + n + " labels, got "
                    + (labels == null ? "null" : labels.length));
        }
        gradient = gradBuf.get(s);
        float[] z = logits.data(), g = gradient.data();
        double total = 0;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int label = labels[i];
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("labels: expected classes in [0, " + k + "), got " + label
                        + " at " + i);
            }
            int o = i * k;
            int arg = 0;
            float max = z[o];
            for (int j = 1; j < k; j++) {
                if (z[o + j] > max) {
                    max = z[o + j];
                    arg = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp((double) z[o + j] - max);
            }
            // log-sum-exp minus the label's logit, arranged so a huge max never absorbs log(sum)
            total += ((double) max - z[o + label]) + Math.log(sum);
            for (int j = 0; j < k; j++) {
                double p = Math.exp((double) z[o + j] - max) / sum;
                g[o + j] = (float) ((p - (j == label ? 1 : 0)) / n);
            }
            if (arg == label && !Float.isNaN(max)) {
                hits++;
            }
        }
        correct = hits;
        return total / n;
    }

    /** d loss / d logits of the last forward (owned by this object, reused). */
    public Tensor gradient() {
        if (gradient == null) {
            throw new IllegalStateException("gradient before forward");
        }
        return gradient;
    }

    /** How many rows of the last forward had their largest logit at the label (first maximum wins). */
    public int correct() {
        return correct;
    }
}
