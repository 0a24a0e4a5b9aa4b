package org.conv4j.nn.layer;

/** {@code max(0, x)}; the gradient at 0 is taken as 0, as in PyTorch. */
public final class ReLU extends Elementwise {
    @Override
    void apply(float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] > 0 ? x[i] : 0f;
        }
    }

    @Override
    void gradient(float[] y, float[] dy, float[] dx) {
        for (int i = 0; i < dx.length; i++) {
            dx[i] = y[i] > 0 ? dy[i] : 0f;
        }
    }
}
