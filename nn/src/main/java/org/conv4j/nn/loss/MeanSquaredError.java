package org.conv4j.nn.loss;

import org.conv4j.core.Tensor;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/** Mean squared error {@code mean((y - t)^2)} over all elements, with gradient {@code 2 (y - t) / size}. */
public final class MeanSquaredError {
    private final Workspace gradBuf = new Workspace();
    private Tensor gradient;

    public double forward(Tensor prediction, Tensor target) {
        int[] s = Shapes.of("prediction", prediction);
        Shapes.expect("target", target, s);
        gradient = gradBuf.get(s);
        float[] y = prediction.data(), t = target.data(), g = gradient.data();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double d = (double) y[i] - t[i];
            sum += d * d;
            g[i] = (float) (2 * d / y.length);
        }
        return sum / y.length;
    }

    /** d loss / d prediction of the last forward. */
    public Tensor gradient() {
        if (gradient == null) {
            throw new IllegalStateException("gradient before forward");
        }
        return gradient;
    }
}
