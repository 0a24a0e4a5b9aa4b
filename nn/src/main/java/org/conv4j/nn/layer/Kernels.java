package org.conv4j.nn.layer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.conv4j.core.Parallel;

/**
 * The vector loops the layers share: Linear's matrix products, batch-norm sums, ReLU and its gradient, and the residual
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

    /** Lanes of the batch dimension in Linear's forward product: its transposed input is padded to a multiple of this. */
    static final int BATCH_LANES = LANES;

    /**
     * {@code C[r][col..] = sum_k A(r, k) B[k][col..]} for rows {@code r .. r+3} and the two vectors of columns at
     * {@code col}, where {@code A(r, k) = a[r*aRow + k*aK]} (so {@code A} may be read transposed) and {@code B},
     * {@code C} are row-major with {@code ld} columns. A 4 x 2 register tile summed along {@code k} in order:
     * Linear's forward pass ({@code y^T = W x^T}, the batch in the lanes), weight gradient ({@code dy^T x}) and
     * input gradient ({@code dy W}) are all this product; summing along {@code k} in the lanes needs no lane
     * reduction (a dot product per output needed one, and the reductions cost more than the products).
     */
    static void rowsTile(float[] a, int aRow, int aK, float[] b, int k, float[] c, int ld, int r, int col) {
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        int r0 = r * aRow, r1 = r0 + aRow, r2 = r1 + aRow, r3 = r2 + aRow;
        for (int q = 0, bo = col, ak = 0; q < k; q++, bo += ld, ak += aK) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bo), b1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
            FloatVector v = FloatVector.broadcast(SPECIES, a[r0 + ak]);
            a00 = b0.fma(v, a00);
            a01 = b1.fma(v, a01);
            v = FloatVector.broadcast(SPECIES, a[r1 + ak]);
            a10 = b0.fma(v, a10);
            a11 = b1.fma(v, a11);
            v = FloatVector.broadcast(SPECIES, a[r2 + ak]);
            a20 = b0.fma(v, a20);
            a21 = b1.fma(v, a21);
            v = FloatVector.broadcast(SPECIES, a[r3 + ak]);
            a30 = b0.fma(v, a30);
            a31 = b1.fma(v, a31);
        }
        int o = r * ld + col;
        a00.intoArray(c, o);
        a01.intoArray(c, o + LANES);
        a10.intoArray(c, o + ld);
        a11.intoArray(c, o + ld + LANES);
        a20.intoArray(c, o + 2 * ld);
        a21.intoArray(c, o + 2 * ld + LANES);
        a30.intoArray(c, o + 3 * ld);
        a31.intoArray(c, o + 3 * ld + LANES);
    }

    /**
     * {@link #rowsTile}'s product for one row {@code r} and every column from {@code col} on (its tails):
     * whole vectors, then a masked one.
     */
    static void rowTail(float[] a, int aRow, int aK, float[] b, int k, float[] c, int ld, int r, int col) {
        int ra = r * aRow;
        for (; col + LANES <= ld; col += LANES) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int q = 0, bo = col; q < k; q++, bo += ld) {
                acc = FloatVector.fromArray(SPECIES, b, bo).fma(FloatVector.broadcast(SPECIES, a[ra + q * aK]), acc);
            }
            acc.intoArray(c, r * ld + col);
        }
        if (col < ld) { // the last columns as one masked vector: one at a time they cost more than the rest
            VectorMask<Float> m = SPECIES.indexInRange(col, ld);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int q = 0, bo = col; q < k; q++, bo += ld) {
                acc = FloatVector.fromArray(SPECIES, b, bo, m).fma(FloatVector.broadcast(SPECIES, a[ra + q * aK]), acc);
            }
            acc.intoArray(c, r * ld + col, m);
        }
    }

    /**
     * The whole product {@code C = A B} of {@link #rowsTile} ({@code rows} rows of {@code ld} columns), in tasks
     * of 4 rows on up to {@code threads} threads: each task owns its rows, so the result does not depend on
     * the thread count.
     */
    static void product(float[] a, int aRow, int aK, float[] b, int k, float[] c, int ld, int rows, int threads) {
        Parallel.forEach((rows + 3) / 4, threads, blk -> {
            int r = blk * 4;
            rowsProduct(a, aRow, aK, b, k, c, ld, r, Math.min(4, rows - r));
        });
    }

    /** Rows {@code r .. r + rows - 1} of {@link #rowsTile}'s product {@code C = A B}, every column. */
    private static void rowsProduct(float[] a, int aRow, int aK, float[] b, int k, float[] c, int ld, int r, int rows) {
        int col = 0;
        if (rows == 4) {
            for (; col + 2 * LANES <= ld; col += 2 * LANES) {
                rowsTile(a, aRow, aK, b, k, c, ld, r, col);
            }
        }
        for (int q = r; q < r + rows; q++) {
            rowTail(a, aRow, aK, b, k, c, ld, q, col);
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
