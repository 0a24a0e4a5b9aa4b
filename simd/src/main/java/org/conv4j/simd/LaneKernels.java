package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Register tiles of {@link ImageLanesConvolution} for 8-output panels: the contract of
 * {@link MicroKernels#conv6x4} with {@link #ROWS} = 8 outputs per panel, for layers whose output count
 * wastes fewer rows in 8-row panels (LeNet conv2: 16 outputs are 2 panels of 8, not 3 of 6 with 2 zero
 * rows). {@code conv8x3} holds 24 accumulators, 3 input vectors and a broadcast weight (28 registers):
 * 24 FMAs per 3 loads and 8 broadcasts. The overwriting and the accumulating forms are separate bodies:
 * one body with a conditional start (as in {@code MicroKernels}) measured 10 % slower on LeNet conv2's
 * forward. Unrolled into named locals on purpose (C2 keeps them in registers).
 */
final class LaneKernels {
    /** Output channels per panel. */
    static final int ROWS = 8;

    private LaneKernels() {
    }

    /** {@code out[ob + m*os + j] (+)= sum over red < nRed, t < nTaps of w[wb + (red*nTaps + t)*ROWS + m] * x[xb + red*chStride + taps[t] + j]}
     * for {@code m < ROWS, j < 3*LANES}: added to {@code out} when {@code accumulate} (a reduction split into blocks), else overwriting it. */
    static void conv8x3(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                         float[] out, int ob, int os, boolean accumulate) {
        if (accumulate) {
            conv8x3Add(x, xb, chStride, taps, nTaps, nRed, w, wb, out, ob, os);
        } else {
            conv8x3Set(x, xb, chStride, taps, nTaps, nRed, w, wb, out, ob, os);
        }
    }

    /** {@link #conv8x3} on 2 vectors ({@code j < 2*LANES}): row ends that 3-vector tiles do not divide. */
    static void conv8x2(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                         float[] out, int ob, int os, boolean accumulate) {
        if (accumulate) {
            conv8x2Add(x, xb, chStride, taps, nTaps, nRed, w, wb, out, ob, os);
        } else {
            conv8x2Set(x, xb, chStride, taps, nTaps, nRed, w, wb, out, ob, os);
        }
    }

    private static void conv8x3Set(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                                float[] out, int ob, int os) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z;
        FloatVector c70 = z, c71 = z, c72 = z;
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += ROWS) {
                int b = xb + taps[t];
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
                c00 = x0.fma(w0, c00);
                c01 = x1.fma(w0, c01);
                c02 = x2.fma(w0, c02);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 1]);
                c10 = x0.fma(w0, c10);
                c11 = x1.fma(w0, c11);
                c12 = x2.fma(w0, c12);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 2]);
                c20 = x0.fma(w0, c20);
                c21 = x1.fma(w0, c21);
                c22 = x2.fma(w0, c22);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 3]);
                c30 = x0.fma(w0, c30);
                c31 = x1.fma(w0, c31);
                c32 = x2.fma(w0, c32);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 4]);
                c40 = x0.fma(w0, c40);
                c41 = x1.fma(w0, c41);
                c42 = x2.fma(w0, c42);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 5]);
                c50 = x0.fma(w0, c50);
                c51 = x1.fma(w0, c51);
                c52 = x2.fma(w0, c52);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 6]);
                c60 = x0.fma(w0, c60);
                c61 = x1.fma(w0, c61);
                c62 = x2.fma(w0, c62);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 7]);
                c70 = x0.fma(w0, c70);
                c71 = x1.fma(w0, c71);
                c72 = x2.fma(w0, c72);
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c32.intoArray(out, ob + 3 * os + 2 * LANES);
        c40.intoArray(out, ob + 4 * os + 0 * LANES);
        c41.intoArray(out, ob + 4 * os + 1 * LANES);
        c42.intoArray(out, ob + 4 * os + 2 * LANES);
        c50.intoArray(out, ob + 5 * os + 0 * LANES);
        c51.intoArray(out, ob + 5 * os + 1 * LANES);
        c52.intoArray(out, ob + 5 * os + 2 * LANES);
        c60.intoArray(out, ob + 6 * os + 0 * LANES);
        c61.intoArray(out, ob + 6 * os + 1 * LANES);
        c62.intoArray(out, ob + 6 * os + 2 * LANES);
        c70.intoArray(out, ob + 7 * os + 0 * LANES);
        c71.intoArray(out, ob + 7 * os + 1 * LANES);
        c72.intoArray(out, ob + 7 * os + 2 * LANES);
    }

    private static void conv8x3Add(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                                float[] out, int ob, int os) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 2 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 2 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 2 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 0 * LANES);
        FloatVector c31 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 1 * LANES);
        FloatVector c32 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 2 * LANES);
        FloatVector c40 = FloatVector.fromArray(SPECIES, out, ob + 4 * os + 0 * LANES);
        FloatVector c41 = FloatVector.fromArray(SPECIES, out, ob + 4 * os + 1 * LANES);
        FloatVector c42 = FloatVector.fromArray(SPECIES, out, ob + 4 * os + 2 * LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, out, ob + 5 * os + 0 * LANES);
        FloatVector c51 = FloatVector.fromArray(SPECIES, out, ob + 5 * os + 1 * LANES);
        FloatVector c52 = FloatVector.fromArray(SPECIES, out, ob + 5 * os + 2 * LANES);
        FloatVector c60 = FloatVector.fromArray(SPECIES, out, ob + 6 * os + 0 * LANES);
        FloatVector c61 = FloatVector.fromArray(SPECIES, out, ob + 6 * os + 1 * LANES);
        FloatVector c62 = FloatVector.fromArray(SPECIES, out, ob + 6 * os + 2 * LANES);
        FloatVector c70 = FloatVector.fromArray(SPECIES, out, ob + 7 * os + 0 * LANES);
        FloatVector c71 = FloatVector.fromArray(SPECIES, out, ob + 7 * os + 1 * LANES);
        FloatVector c72 = FloatVector.fromArray(SPECIES, out, ob + 7 * os + 2 * LANES);
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += ROWS) {
                int b = xb + taps[t];
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0]);
                c00 = x0.fma(w0, c00);
                c01 = x1.fma(w0, c01);
                c02 = x2.fma(w0, c02);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 1]);
                c10 = x0.fma(w0, c10);
                c11 = x1.fma(w0, c11);
                c12 = x2.fma(w0, c12);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 2]);
                c20 = x0.fma(w0, c20);
                c21 = x1.fma(w0, c21);
                c22 = x2.fma(w0, c22);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 3]);
                c30 = x0.fma(w0, c30);
                c31 = x1.fma(w0, c31);
                c32 = x2.fma(w0, c32);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 4]);
                c40 = x0.fma(w0, c40);
                c41 = x1.fma(w0, c41);
                c42 = x2.fma(w0, c42);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 5]);
                c50 = x0.fma(w0, c50);
                c51 = x1.fma(w0, c51);
                c52 = x2.fma(w0, c52);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 6]);
                c60 = x0.fma(w0, c60);
                c61 = x1.fma(w0, c61);
                c62 = x2.fma(w0, c62);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 7]);
                c70 = x0.fma(w0, c70);
                c71 = x1.fma(w0, c71);
                c72 = x2.fma(w0, c72);
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c32.intoArray(out, ob + 3 * os + 2 * LANES);
        c40.intoArray(out, ob + 4 * os + 0 * LANES);
        c41.intoArray(out, ob + 4 * os + 1 * LANES);
        c42.intoArray(out, ob + 4 * os + 2 * LANES);
        c50.intoArray(out, ob + 5 * os + 0 * LANES);
        c51.intoArray(out, ob + 5 * os + 1 * LANES);
        c52.intoArray(out, ob + 5 * os + 2 * LANES);
        c60.intoArray(out, ob + 6 * os + 0 * LANES);
        c61.intoArray(out, ob + 6 * os + 1 * LANES);
        c62.intoArray(out, ob + 6 * os + 2 * LANES);
        c70.intoArray(out, ob + 7 * os + 0 * LANES);
        c71.intoArray(out, ob + 7 * os + 1 * LANES);
        c72.intoArray(out, ob + 7 * os + 2 * LANES);
    }

    private static void conv8x2Set(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                                float[] out, int ob, int os) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += ROWS) {
                int b = xb + taps[t];
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
                w0 = FloatVector.broadcast(SPECIES, w[wb + 6]);
                c60 = x0.fma(w0, c60);
                c61 = x1.fma(w0, c61);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 7]);
                c70 = x0.fma(w0, c70);
                c71 = x1.fma(w0, c71);
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c40.intoArray(out, ob + 4 * os + 0 * LANES);
        c41.intoArray(out, ob + 4 * os + 1 * LANES);
        c50.intoArray(out, ob + 5 * os + 0 * LANES);
        c51.intoArray(out, ob + 5 * os + 1 * LANES);
        c60.intoArray(out, ob + 6 * os + 0 * LANES);
        c61.intoArray(out, ob + 6 * os + 1 * LANES);
        c70.intoArray(out, ob + 7 * os + 0 * LANES);
        c71.intoArray(out, ob + 7 * os + 1 * LANES);
    }

    private static void conv8x2Add(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                                float[] out, int ob, int os) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 0 * LANES);
        FloatVector c31 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 1 * LANES);
        FloatVector c40 = FloatVector.fromArray(SPECIES, out, ob + 4 * os + 0 * LANES);
        FloatVector c41 = FloatVector.fromArray(SPECIES, out, ob + 4 * os + 1 * LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, out, ob + 5 * os + 0 * LANES);
        FloatVector c51 = FloatVector.fromArray(SPECIES, out, ob + 5 * os + 1 * LANES);
        FloatVector c60 = FloatVector.fromArray(SPECIES, out, ob + 6 * os + 0 * LANES);
        FloatVector c61 = FloatVector.fromArray(SPECIES, out, ob + 6 * os + 1 * LANES);
        FloatVector c70 = FloatVector.fromArray(SPECIES, out, ob + 7 * os + 0 * LANES);
        FloatVector c71 = FloatVector.fromArray(SPECIES, out, ob + 7 * os + 1 * LANES);
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += ROWS) {
                int b = xb + taps[t];
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
                w0 = FloatVector.broadcast(SPECIES, w[wb + 6]);
                c60 = x0.fma(w0, c60);
                c61 = x1.fma(w0, c61);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 7]);
                c70 = x0.fma(w0, c70);
                c71 = x1.fma(w0, c71);
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c40.intoArray(out, ob + 4 * os + 0 * LANES);
        c41.intoArray(out, ob + 4 * os + 1 * LANES);
        c50.intoArray(out, ob + 5 * os + 0 * LANES);
        c51.intoArray(out, ob + 5 * os + 1 * LANES);
        c60.intoArray(out, ob + 6 * os + 0 * LANES);
        c61.intoArray(out, ob + 6 * os + 1 * LANES);
        c70.intoArray(out, ob + 7 * os + 0 * LANES);
        c71.intoArray(out, ob + 7 * os + 1 * LANES);
    }
}
