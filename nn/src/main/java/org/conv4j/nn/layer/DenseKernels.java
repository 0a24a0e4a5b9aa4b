package org.conv4j.nn.layer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The two vector loops of the dense layer: a dot product and {@code y += a x}, with scalar tails. */
final class DenseKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private DenseKernels() {
    }

    /** {@code sum_i a[ao + i] * b[bo + i]} for {@code i < len}. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += SPECIES.length()) {
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
        if (alpha == 0f) {
            return; // after ReLU many gradients are exactly zero
        }
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xo + i).fma(a, FloatVector.fromArray(SPECIES, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }
}
