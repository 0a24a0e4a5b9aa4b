package org.conv4j.nn.layer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops the layers share: dot product, {@code y += a x}, ReLU and its gradient, and the residual
 * sum. Each has a scalar tail. They exist because C2 does not vectorise a float reduction (order matters) nor
 * a data-dependent select, and a mispredicted branch per element made ReLU slower than a convolution.
 */
public final class Kernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private Kernels() {
    }

    /** {@code sum_i a[ao + i] * b[bo + i]} for {@code i < len}. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += LANES) {
            acc = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    /** {@code y[yo + i] += alpha * x[xo + i]} for {@code i < len}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).fma(a, FloatVector.fromArray(SPECIES, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** {@code y = max(x, 0)}, NaN staying NaN as in PyTorch. */
    public static void relu(float[] x, float[] y, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = x[i] < 0 ? 0f : x[i];
        }
    }

    /** {@code dx = y > 0 ? dy : 0} (ReLU's gradient from its output). */
    public static void reluGradient(float[] y, float[] dy, float[] dx, int n) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += LANES) {
            VectorMask<Float> on = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(SPECIES).blend(FloatVector.fromArray(SPECIES, dy, i), on).intoArray(dx, i);
        }
        for (; i < n; i++) {
            dx[i] = y[i] > 0 ? dy[i] : 0f;
        }
    }

    /** {@code y = a + b}, then ReLU when {@code relu}. */
    public static void add(float[] a, float[] b, float[] y, int n, boolean relu) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, i).add(FloatVector.fromArray(SPECIES, b, i));
            if (relu) {
                v = v.blend(0f, v.compare(VectorOperators.LT, 0f));
            }
            v.intoArray(y, i);
        }
        for (; i < n; i++) {
            float v = a[i] + b[i];
            y[i] = relu && v < 0 ? 0f : v;
        }
    }
}
