package org.conv4j.nn.layer;

/** {@code 1 / (1 + e^-x)}, whose derivative is {@code y (1 - y)}. */
public final class Sigmoid extends Elementwise {
    @Override
    void apply(float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    @Override
    void gradient(float[] y, float[] dy, float[] dx) {
        for (int i = 0; i < dx.length; i++) {
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }
}
