package org.conv4j.nn.layer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops the layers share: dot product, {@code y += a x}, ReLU and its gradient, and the residual
 * sum. Each has a scalar tail. They exist because C2 does not vectorise a float reduction (order matters) nor
 * a data-dependent select, and a mispredicted branch per element made ReLU slower than a convolution.
 *
 * <p>Lanes are summed by {@link #sumLanes} in lane order, never by {@code reduceLanes(ADD)}, whose order is
 * unspecified and does differ between the interpreter and C2 (measured: most results of a cold first call
 * differed from later ones). Results must not depend on when the JIT kicks in: a resumed run must equal an
 * uninterrupted one bit for bit.
 */
public final class Kernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private Kernels() {
    }

    /**
     * The lanes' sum in lane order, the same in the interpreter and in compiled code. Constant lane indices,
     * because {@code lane(i)} with a variable index is not intrinsified and allocates.
     */
    private static float sumLanes(FloatVector v) {
        float s = v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3);
        if (LANES >= 8) {
            s = s + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        }
        if (LANES >= 16) {
            s = s + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
        }
        for (int l = 16; l < LANES; l++) { // wider machines than any today
            s += v.lane(l);
        }
        return s;
    }

    /** {@code sum_i a[ao + i] * b[bo + i]} for {@code i < len}. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += LANES) {
            acc = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
        }
        float sum = sumLanes(acc);
        for (; i < len; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    /**
     * Four dot products sharing one vector: {@code out[oo + q] = sum_i a[ao + i] * b[bo + q*bStride + i]} for
     * q < 4. Loading {@code a} once for four rows of {@code b} cuts the loads per multiply-add from 2 to 1.25.
     */
    static void dot4(float[] a, int ao, float[] b, int bo, int bStride, int len, float[] out, int oo) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int b1 = bo + bStride, b2 = b1 + bStride, b3 = b2 + bStride;
        for (; i < bound; i += LANES) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, ao + i);
            s0 = va.fma(FloatVector.fromArray(SPECIES, b, bo + i), s0);
            s1 = va.fma(FloatVector.fromArray(SPECIES, b, b1 + i), s1);
            s2 = va.fma(FloatVector.fromArray(SPECIES, b, b2 + i), s2);
            s3 = va.fma(FloatVector.fromArray(SPECIES, b, b3 + i), s3);
        }
        float r0 = sumLanes(s0), r1 = sumLanes(s1), r2 = sumLanes(s2), r3 = sumLanes(s3);
        for (; i < len; i++) {
            float v = a[ao + i];
            r0 += v * b[bo + i];
            r1 += v * b[b1 + i];
            r2 += v * b[b2 + i];
            r3 += v * b[b3 + i];
        }
        out[oo] = r0;
        out[oo + 1] = r1;
        out[oo + 2] = r2;
        out[oo + 3] = r3;
    }

    /** Lanes of the batch dimension in {@link #linearTile}: the transposed input is padded to a multiple of this. */
    static final int BATCH_LANES = LANES;

    /**
     * Rows {@code o .. o+3} of {@code yT[out][nPad] = W[out][in] xT[in][nPad]} for the two vectors of the batch
     * at {@code j} and {@code j + LANES}: a 4 x 2 register tile, one weight broadcast per row and one vector
     * load per batch vector for every {@code i}, 8 multiply-adds; sums run along {@code i} in order in the
     * lanes, so no lane reduction is needed (a dot product per output needed one, and the reductions cost
     * more than the products for LeNet's layers).
     */
    static void linearTile(float[] xT, int nPad, float[] w, int in, int o, int j, float[] yT) {
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        int w0 = o * in, w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
        for (int i = 0, x = j; i < in; i++, x += nPad) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xT, x), x1 = FloatVector.fromArray(SPECIES, xT, x + LANES);
            FloatVector b = FloatVector.broadcast(SPECIES, w[w0 + i]);
            a00 = x0.fma(b, a00);
            a01 = x1.fma(b, a01);
            b = FloatVector.broadcast(SPECIES, w[w1 + i]);
            a10 = x0.fma(b, a10);
            a11 = x1.fma(b, a11);
            b = FloatVector.broadcast(SPECIES, w[w2 + i]);
            a20 = x0.fma(b, a20);
            a21 = x1.fma(b, a21);
            b = FloatVector.broadcast(SPECIES, w[w3 + i]);
            a30 = x0.fma(b, a30);
            a31 = x1.fma(b, a31);
        }
        int y = o * nPad + j;
        a00.intoArray(yT, y);
        a01.intoArray(yT, y + LANES);
        a10.intoArray(yT, y + nPad);
        a11.intoArray(yT, y + nPad + LANES);
        a20.intoArray(yT, y + 2 * nPad);
        a21.intoArray(yT, y + 2 * nPad + LANES);
        a30.intoArray(yT, y + 3 * nPad);
        a31.intoArray(yT, y + 3 * nPad + LANES);
    }

    /** One row {@code o} of {@link #linearTile}'s product for one batch vector at {@code j}: the tails. */
    static void linearRow(float[] xT, int nPad, float[] w, int in, int o, int j, float[] yT) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0, x = j, wo = o * in; i < in; i++, x += nPad) {
            acc = FloatVector.fromArray(SPECIES, xT, x).fma(FloatVector.broadcast(SPECIES, w[wo + i]), acc);
        }
        acc.intoArray(yT, o * nPad + j);
    }

    /**
     * {@code y[yo + i] += sum_q c[q] * x[xo + q*xStride + i]} for q < 4: four updates of one row with a single
     * load and store of it, where four {@link #axpy} calls would load and store it four times.
     */
    static void axpy4(float c0, float c1, float c2, float c3, float[] x, int xo, int xStride, float[] y, int yo, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector v0 = FloatVector.broadcast(SPECIES, c0), v1 = FloatVector.broadcast(SPECIES, c1);
        FloatVector v2 = FloatVector.broadcast(SPECIES, c2), v3 = FloatVector.broadcast(SPECIES, c3);
        int x1 = xo + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        for (; i < bound; i += LANES) {
            FloatVector acc = FloatVector.fromArray(SPECIES, y, yo + i);
            acc = FloatVector.fromArray(SPECIES, x, xo + i).fma(v0, acc);
            acc = FloatVector.fromArray(SPECIES, x, x1 + i).fma(v1, acc);
            acc = FloatVector.fromArray(SPECIES, x, x2 + i).fma(v2, acc);
            acc = FloatVector.fromArray(SPECIES, x, x3 + i).fma(v3, acc);
            acc.intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] = (((y[yo + i] + c0 * x[xo + i]) + c1 * x[x1 + i]) + c2 * x[x2 + i]) + c3 * x[x3 + i];
        }
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

    /** {@code sum_i a[off + i]}, lanes summed in float, the total returned in double. */
    static double sum(float[] a, int off, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += LANES) {
            acc = acc.add(FloatVector.fromArray(SPECIES, a, off + i));
        }
        double s = sumLanes(acc);
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** {@code sum_i b[off + i] * (a[off + i] - shift)}; with {@code b == a}, the sum of squared deviations. */
    static double dotShifted(float[] a, float[] b, int off, int len, float shift) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, a, off + i).sub(shift);
            acc = d.fma(FloatVector.fromArray(SPECIES, b, off + i), acc);
        }
        double s = sumLanes(acc);
        for (; i < len; i++) {
            s += (double) b[off + i] * (a[off + i] - shift);
        }
        return s;
    }

    /** {@code y[off + i] = x[off + i] * scale + shift}. */
    static void affine(float[] x, float[] y, int off, int len, float scale, float shift) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, off + i).fma(scale, shift).intoArray(y, off + i);
        }
        for (; i < len; i++) {
            y[off + i] = x[off + i] * scale + shift;
        }
    }

    /** {@code out[off + i] = a * u[off + i] + b * v[off + i] + c}. */
    static void combine(float a, float[] u, float b, float[] v, float c, float[] out, int off, int len) {
        int i = 0;
        int bound = SPECIES.loopBound(len);
        FloatVector va = FloatVector.broadcast(SPECIES, a);
        for (; i < bound; i += LANES) {
            FloatVector t = FloatVector.fromArray(SPECIES, v, off + i).fma(b, c);
            FloatVector.fromArray(SPECIES, u, off + i).fma(va, t).intoArray(out, off + i);
        }
        for (; i < len; i++) {
            out[off + i] = a * u[off + i] + (b * v[off + i] + c);
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
