package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The register tile of {@link RowReuseConvolution}: one output channel, {@link #ROWS} output rows x 2
 * vectors, for kernels of {@link #KERNEL_ROWS} rows. With a single output channel a broadcast weight
 * can only feed the tile's own vectors, so a tile of one output row would do one load per FMA; here
 * each loaded input row vector feeds the {@link #KERNEL_ROWS} output rows it reaches instead: per
 * (channel, kernel column) step, {@code ROWS + KERNEL_ROWS - 1} input rows x 2 vectors = 22 loads and
 * 5 broadcasts for 70 FMAs. 14 accumulators, 5 weights and 2 input vectors: 21 of the 32 registers.
 * Unrolled into named locals on purpose (C2 keeps them in registers).
 */
final class RowReuseKernels {
    /** Output rows per tile: LeNet conv1's 28 rows are 4 tiles, no row computed twice. */
    static final int ROWS = 7;
    /** Kernel rows the tile is unrolled for (LeNet's 5x5). */
    static final int KERNEL_ROWS = 5;

    private RowReuseKernels() {
    }

    /**
     * {@code out[ob + i*outRow + q + j] = bias + sum over steps k, kernel rows r of w[wb + k*KERNEL_ROWS + r]
     * * x[xb + steps[k] + (i + r)*xRow + q + j]} for output rows {@code i < ROWS}, columns {@code q} in
     * {@code {0, q1}} and {@code j < LANES}: every step is one (channel, kernel column) of the reduction.
     */
    static void conv1x7(float[] x, int xb, int xRow, int q1, int[] steps, float[] w, int wb, float bias,
                        float[] out, int ob, int outRow) {
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        FloatVector a00 = b, a01 = b;
        FloatVector a10 = b, a11 = b;
        FloatVector a20 = b, a21 = b;
        FloatVector a30 = b, a31 = b;
        FloatVector a40 = b, a41 = b;
        FloatVector a50 = b, a51 = b;
        FloatVector a60 = b, a61 = b;
        for (int k = 0; k < steps.length; k++, wb += KERNEL_ROWS) {
            int p = xb + steps[k];
            FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
            FloatVector w1 = FloatVector.broadcast(SPECIES, w[wb + 1]);
            FloatVector w2 = FloatVector.broadcast(SPECIES, w[wb + 2]);
            FloatVector w3 = FloatVector.broadcast(SPECIES, w[wb + 3]);
            FloatVector w4 = FloatVector.broadcast(SPECIES, w[wb + 4]);
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, p + 0 * xRow);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, p + 0 * xRow + q1);
            a00 = x0.fma(w0, a00);
            a01 = x1.fma(w0, a01);
            x0 = FloatVector.fromArray(SPECIES, x, p + 1 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 1 * xRow + q1);
            a10 = x0.fma(w0, a10);
            a11 = x1.fma(w0, a11);
            a00 = x0.fma(w1, a00);
            a01 = x1.fma(w1, a01);
            x0 = FloatVector.fromArray(SPECIES, x, p + 2 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 2 * xRow + q1);
            a20 = x0.fma(w0, a20);
            a21 = x1.fma(w0, a21);
            a10 = x0.fma(w1, a10);
            a11 = x1.fma(w1, a11);
            a00 = x0.fma(w2, a00);
            a01 = x1.fma(w2, a01);
            x0 = FloatVector.fromArray(SPECIES, x, p + 3 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 3 * xRow + q1);
            a30 = x0.fma(w0, a30);
            a31 = x1.fma(w0, a31);
            a20 = x0.fma(w1, a20);
            a21 = x1.fma(w1, a21);
            a10 = x0.fma(w2, a10);
            a11 = x1.fma(w2, a11);
            a00 = x0.fma(w3, a00);
            a01 = x1.fma(w3, a01);
            x0 = FloatVector.fromArray(SPECIES, x, p + 4 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 4 * xRow + q1);
            a40 = x0.fma(w0, a40);
            a41 = x1.fma(w0, a41);
            a30 = x0.fma(w1, a30);
            a31 = x1.fma(w1, a31);
            a20 = x0.fma(w2, a20);
            a21 = x1.fma(w2, a21);
            a10 = x0.fma(w3, a10);
            a11 = x1.fma(w3, a11);
            a00 = x0.fma(w4, a00);
            a01 = x1.fma(w4, a01);
            x0 = FloatVector.fromArray(SPECIES, x, p + 5 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 5 * xRow + q1);
            a50 = x0.fma(w0, a50);
            a51 = x1.fma(w0, a51);
            a40 = x0.fma(w1, a40);
            a41 = x1.fma(w1, a41);
            a30 = x0.fma(w2, a30);
            a31 = x1.fma(w2, a31);
            a20 = x0.fma(w3, a20);
            a21 = x1.fma(w3, a21);
            a10 = x0.fma(w4, a10);
            a11 = x1.fma(w4, a11);
            x0 = FloatVector.fromArray(SPECIES, x, p + 6 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 6 * xRow + q1);
            a60 = x0.fma(w0, a60);
            a61 = x1.fma(w0, a61);
            a50 = x0.fma(w1, a50);
            a51 = x1.fma(w1, a51);
            a40 = x0.fma(w2, a40);
            a41 = x1.fma(w2, a41);
            a30 = x0.fma(w3, a30);
            a31 = x1.fma(w3, a31);
            a20 = x0.fma(w4, a20);
            a21 = x1.fma(w4, a21);
            x0 = FloatVector.fromArray(SPECIES, x, p + 7 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 7 * xRow + q1);
            a60 = x0.fma(w1, a60);
            a61 = x1.fma(w1, a61);
            a50 = x0.fma(w2, a50);
            a51 = x1.fma(w2, a51);
            a40 = x0.fma(w3, a40);
            a41 = x1.fma(w3, a41);
            a30 = x0.fma(w4, a30);
            a31 = x1.fma(w4, a31);
            x0 = FloatVector.fromArray(SPECIES, x, p + 8 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 8 * xRow + q1);
            a60 = x0.fma(w2, a60);
            a61 = x1.fma(w2, a61);
            a50 = x0.fma(w3, a50);
            a51 = x1.fma(w3, a51);
            a40 = x0.fma(w4, a40);
            a41 = x1.fma(w4, a41);
            x0 = FloatVector.fromArray(SPECIES, x, p + 9 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 9 * xRow + q1);
            a60 = x0.fma(w3, a60);
            a61 = x1.fma(w3, a61);
            a50 = x0.fma(w4, a50);
            a51 = x1.fma(w4, a51);
            x0 = FloatVector.fromArray(SPECIES, x, p + 10 * xRow);
            x1 = FloatVector.fromArray(SPECIES, x, p + 10 * xRow + q1);
            a60 = x0.fma(w4, a60);
            a61 = x1.fma(w4, a61);
        }
        a00.intoArray(out, ob + 0 * outRow);
        a01.intoArray(out, ob + 0 * outRow + q1);
        a10.intoArray(out, ob + 1 * outRow);
        a11.intoArray(out, ob + 1 * outRow + q1);
        a20.intoArray(out, ob + 2 * outRow);
        a21.intoArray(out, ob + 2 * outRow + q1);
        a30.intoArray(out, ob + 3 * outRow);
        a31.intoArray(out, ob + 3 * outRow + q1);
        a40.intoArray(out, ob + 4 * outRow);
        a41.intoArray(out, ob + 4 * outRow + q1);
        a50.intoArray(out, ob + 5 * outRow);
        a51.intoArray(out, ob + 5 * outRow + q1);
        a60.intoArray(out, ob + 6 * outRow);
        a61.intoArray(out, ob + 6 * outRow + q1);
    }
}
