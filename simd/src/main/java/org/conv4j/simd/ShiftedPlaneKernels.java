package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.MR;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Register tiles of {@link ShiftedPlanesConvolution}: like {@link MicroKernels#conv6x4}, but the
 * accumulators start from the bias and the results go straight into the NCHW output, only its first
 * {@code rows} channels (the last panel of a layer whose outputs are not a multiple of {@code MR}).
 * With a reduction of 25 steps (LeNet conv1) the tile's fixed costs are a large share, so no scratch
 * pass and no separate bias pass: each result is stored once, where it belongs.
 *
 * <p>Packed weights of a panel: {@code w[wb + m]} is the bias of output {@code m}, then
 * {@code w[wb + MR + i*MR + m]} the weight of output {@code m} at reduction step {@code i} (a channel and
 * a tap), whose input run starts {@code steps[i]} floats from the tile's position. Unrolled into named
 * locals on purpose (C2 keeps them in registers).
 */
final class ShiftedPlaneKernels {
    private ShiftedPlaneKernels() {
    }

    /**
     * {@code out[ob + m*os + j] = w[wb + m] + sum over i of w[wb + MR + i*MR + m] * x[xb + steps[i] + j]}
     * for {@code m < rows}, {@code j < 4*LANES}: 24 accumulators, 24 FMAs per 4 loads and 6 broadcasts.
     */
    static void conv6x4(float[] x, int xb, int[] steps, float[] w, int wb, float[] out, int ob, int os, int rows) {
        FloatVector b0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
        FloatVector b1 = FloatVector.broadcast(SPECIES, w[wb + 1]);
        FloatVector b2 = FloatVector.broadcast(SPECIES, w[wb + 2]);
        FloatVector b3 = FloatVector.broadcast(SPECIES, w[wb + 3]);
        FloatVector b4 = FloatVector.broadcast(SPECIES, w[wb + 4]);
        FloatVector b5 = FloatVector.broadcast(SPECIES, w[wb + 5]);
        FloatVector c00 = b0, c01 = b0, c02 = b0, c03 = b0;
        FloatVector c10 = b1, c11 = b1, c12 = b1, c13 = b1;
        FloatVector c20 = b2, c21 = b2, c22 = b2, c23 = b2;
        FloatVector c30 = b3, c31 = b3, c32 = b3, c33 = b3;
        FloatVector c40 = b4, c41 = b4, c42 = b4, c43 = b4;
        FloatVector c50 = b5, c51 = b5, c52 = b5, c53 = b5;
        wb += MR;
        for (int i = 0; i < steps.length; i++, wb += MR) {
            int b = xb + steps[i];
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, b + 3 * LANES);
            FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 1]);
            c10 = x0.fma(w0, c10);
            c11 = x1.fma(w0, c11);
            c12 = x2.fma(w0, c12);
            c13 = x3.fma(w0, c13);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 2]);
            c20 = x0.fma(w0, c20);
            c21 = x1.fma(w0, c21);
            c22 = x2.fma(w0, c22);
            c23 = x3.fma(w0, c23);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 3]);
            c30 = x0.fma(w0, c30);
            c31 = x1.fma(w0, c31);
            c32 = x2.fma(w0, c32);
            c33 = x3.fma(w0, c33);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 4]);
            c40 = x0.fma(w0, c40);
            c41 = x1.fma(w0, c41);
            c42 = x2.fma(w0, c42);
            c43 = x3.fma(w0, c43);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 5]);
            c50 = x0.fma(w0, c50);
            c51 = x1.fma(w0, c51);
            c52 = x2.fma(w0, c52);
            c53 = x3.fma(w0, c53);
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        if (rows > 1) {
            c10.intoArray(out, ob + 1 * os + 0 * LANES);
            c11.intoArray(out, ob + 1 * os + 1 * LANES);
            c12.intoArray(out, ob + 1 * os + 2 * LANES);
            c13.intoArray(out, ob + 1 * os + 3 * LANES);
        }
        if (rows > 2) {
            c20.intoArray(out, ob + 2 * os + 0 * LANES);
            c21.intoArray(out, ob + 2 * os + 1 * LANES);
            c22.intoArray(out, ob + 2 * os + 2 * LANES);
            c23.intoArray(out, ob + 2 * os + 3 * LANES);
        }
        if (rows > 3) {
            c30.intoArray(out, ob + 3 * os + 0 * LANES);
            c31.intoArray(out, ob + 3 * os + 1 * LANES);
            c32.intoArray(out, ob + 3 * os + 2 * LANES);
            c33.intoArray(out, ob + 3 * os + 3 * LANES);
        }
        if (rows > 4) {
            c40.intoArray(out, ob + 4 * os + 0 * LANES);
            c41.intoArray(out, ob + 4 * os + 1 * LANES);
            c42.intoArray(out, ob + 4 * os + 2 * LANES);
            c43.intoArray(out, ob + 4 * os + 3 * LANES);
        }
        if (rows > 5) {
            c50.intoArray(out, ob + 5 * os + 0 * LANES);
            c51.intoArray(out, ob + 5 * os + 1 * LANES);
            c52.intoArray(out, ob + 5 * os + 2 * LANES);
            c53.intoArray(out, ob + 5 * os + 3 * LANES);
        }
    }

    /**
     * {@link #conv6x4} on 2 vectors ({@code j < 2*LANES}): the last tile of a plane when at most two vectors remain.
     */
    static void conv6x2(float[] x, int xb, int[] steps, float[] w, int wb, float[] out, int ob, int os, int rows) {
        FloatVector b0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
        FloatVector b1 = FloatVector.broadcast(SPECIES, w[wb + 1]);
        FloatVector b2 = FloatVector.broadcast(SPECIES, w[wb + 2]);
        FloatVector b3 = FloatVector.broadcast(SPECIES, w[wb + 3]);
        FloatVector b4 = FloatVector.broadcast(SPECIES, w[wb + 4]);
        FloatVector b5 = FloatVector.broadcast(SPECIES, w[wb + 5]);
        FloatVector c00 = b0, c01 = b0;
        FloatVector c10 = b1, c11 = b1;
        FloatVector c20 = b2, c21 = b2;
        FloatVector c30 = b3, c31 = b3;
        FloatVector c40 = b4, c41 = b4;
        FloatVector c50 = b5, c51 = b5;
        wb += MR;
        for (int i = 0; i < steps.length; i++, wb += MR) {
            int b = xb + steps[i];
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
            FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 1]);
            c10 = x0.fma(w0, c10);
            c11 = x1.fma(w0, c11);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 2]);
            c20 = x0.fma(w0, c20);
            c21 = x1.fma(w0, c21);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 3]);
            c30 = x0.fma(w0, c30);
            c31 = x1.fma(w0, c31);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 4]);
            c40 = x0.fma(w0, c40);
            c41 = x1.fma(w0, c41);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 5]);
            c50 = x0.fma(w0, c50);
            c51 = x1.fma(w0, c51);
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        if (rows > 1) {
            c10.intoArray(out, ob + 1 * os + 0 * LANES);
            c11.intoArray(out, ob + 1 * os + 1 * LANES);
        }
        if (rows > 2) {
            c20.intoArray(out, ob + 2 * os + 0 * LANES);
            c21.intoArray(out, ob + 2 * os + 1 * LANES);
        }
        if (rows > 3) {
            c30.intoArray(out, ob + 3 * os + 0 * LANES);
            c31.intoArray(out, ob + 3 * os + 1 * LANES);
        }
        if (rows > 4) {
            c40.intoArray(out, ob + 4 * os + 0 * LANES);
            c41.intoArray(out, ob + 4 * os + 1 * LANES);
        }
        if (rows > 5) {
            c50.intoArray(out, ob + 5 * os + 0 * LANES);
            c51.intoArray(out, ob + 5 * os + 1 * LANES);
        }
    }

    /**
     * {@link #conv6x4} on two output rows of a padded plane instead of a shifted one: the 4 vectors are
     * columns {@code [0, LANES)} and {@code [q1, q1 + LANES)} of rows {@code 0} and {@code 1}, read at
     * {@code x[xb + steps[i] + {0, q1, xRow, xRow + q1}]} and stored at {@code out[ob + m*os + {0, q1, outRow, outRow + q1}]}
     * (a row of {@code LANES + q1} outputs; columns {@code q1 .. LANES} are computed twice, identically).
     */
    static void conv6x4Rows(float[] x, int xb, int[] steps, int q1, int xRow, float[] w, int wb, float[] out, int ob,
                            int os, int outRow, int rows) {
        FloatVector b0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
        FloatVector b1 = FloatVector.broadcast(SPECIES, w[wb + 1]);
        FloatVector b2 = FloatVector.broadcast(SPECIES, w[wb + 2]);
        FloatVector b3 = FloatVector.broadcast(SPECIES, w[wb + 3]);
        FloatVector b4 = FloatVector.broadcast(SPECIES, w[wb + 4]);
        FloatVector b5 = FloatVector.broadcast(SPECIES, w[wb + 5]);
        FloatVector c00 = b0, c01 = b0, c02 = b0, c03 = b0;
        FloatVector c10 = b1, c11 = b1, c12 = b1, c13 = b1;
        FloatVector c20 = b2, c21 = b2, c22 = b2, c23 = b2;
        FloatVector c30 = b3, c31 = b3, c32 = b3, c33 = b3;
        FloatVector c40 = b4, c41 = b4, c42 = b4, c43 = b4;
        FloatVector c50 = b5, c51 = b5, c52 = b5, c53 = b5;
        int u1 = q1, u2 = xRow, u3 = xRow + q1;
        wb += MR;
        for (int i = 0; i < steps.length; i++, wb += MR) {
            int b = xb + steps[i];
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, b);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + u1);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + u2);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, b + u3);
            FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 1]);
            c10 = x0.fma(w0, c10);
            c11 = x1.fma(w0, c11);
            c12 = x2.fma(w0, c12);
            c13 = x3.fma(w0, c13);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 2]);
            c20 = x0.fma(w0, c20);
            c21 = x1.fma(w0, c21);
            c22 = x2.fma(w0, c22);
            c23 = x3.fma(w0, c23);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 3]);
            c30 = x0.fma(w0, c30);
            c31 = x1.fma(w0, c31);
            c32 = x2.fma(w0, c32);
            c33 = x3.fma(w0, c33);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 4]);
            c40 = x0.fma(w0, c40);
            c41 = x1.fma(w0, c41);
            c42 = x2.fma(w0, c42);
            c43 = x3.fma(w0, c43);
            w0 = FloatVector.broadcast(SPECIES, w[wb + 5]);
            c50 = x0.fma(w0, c50);
            c51 = x1.fma(w0, c51);
            c52 = x2.fma(w0, c52);
            c53 = x3.fma(w0, c53);
        }
        c00.intoArray(out, ob  + 0);
        c01.intoArray(out, ob  + q1);
        c02.intoArray(out, ob  + outRow);
        c03.intoArray(out, ob  + outRow + q1);
        if (rows > 1) {
            c10.intoArray(out, ob + 1 * os);
            c11.intoArray(out, ob + 1 * os + q1);
            c12.intoArray(out, ob + 1 * os + outRow);
            c13.intoArray(out, ob + 1 * os + outRow + q1);
        }
        if (rows > 2) {
            c20.intoArray(out, ob + 2 * os);
            c21.intoArray(out, ob + 2 * os + q1);
            c22.intoArray(out, ob + 2 * os + outRow);
            c23.intoArray(out, ob + 2 * os + outRow + q1);
        }
        if (rows > 3) {
            c30.intoArray(out, ob + 3 * os);
            c31.intoArray(out, ob + 3 * os + q1);
            c32.intoArray(out, ob + 3 * os + outRow);
            c33.intoArray(out, ob + 3 * os + outRow + q1);
        }
        if (rows > 4) {
            c40.intoArray(out, ob + 4 * os);
            c41.intoArray(out, ob + 4 * os + q1);
            c42.intoArray(out, ob + 4 * os + outRow);
            c43.intoArray(out, ob + 4 * os + outRow + q1);
        }
        if (rows > 5) {
            c50.intoArray(out, ob + 5 * os);
            c51.intoArray(out, ob + 5 * os + q1);
            c52.intoArray(out, ob + 5 * os + outRow);
            c53.intoArray(out, ob + 5 * os + outRow + q1);
        }
    }
}
