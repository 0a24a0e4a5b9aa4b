package org.conv4j.nn.layer;

/** {@code tanh(x)}, whose derivative is {@code 1 - y^2}. */
public final class Tanh extends Elementwise {
    @Override
    void apply(float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    void gradient(float[] y, float[] dy, float[] dx) {
        for (int i = 0; i < dx.length; i++) {
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }
}
