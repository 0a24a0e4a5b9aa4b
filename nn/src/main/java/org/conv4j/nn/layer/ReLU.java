package org.conv4j.nn.layer;

/** {@code max(0, x)}; the gradient at 0 is taken as 0 and NaN stays NaN, as in PyTorch. */
public final class ReLU extends Elementwise {
    @Override
    void apply(float[] x, float[] y) {
        Kernels.relu(x, y, y.length);
    }

    @Override
    void gradient(float[] y, float[] dy, float[] dx) {
        Kernels.reluGradient(y, dy, dx, dx.length);
    }
}
