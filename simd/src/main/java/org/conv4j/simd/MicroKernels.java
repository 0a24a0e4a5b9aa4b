package org.conv4j.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register micro-kernels. Each keeps a tile of accumulators in vector registers for its whole
 * reduction, reading operands that the packing steps made contiguous: no masks, no bounds logic,
 * no allocation. With 512-bit vectors the 6x4 tile holds 24 accumulators, 4 input vectors and one
 * broadcast weight: 29 of the 32 registers, 24 FMAs per 10 loads.
 *
 * <p>Unrolled into named locals on purpose: C2 keeps those in registers,
 * whereas accumulator arrays would live in memory.
 */
final class MicroKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int LANES = SPECIES.length();
    /** Output channels per register tile of the convolution kernel (broadcast weights). */
    static final int MR = 6;
    /** Vectors along the flat output position per register tile. */
    static final int NR = 4;
    /** Output positions per register tile. */
    static final int TILE = NR * LANES;
    /** Rows (output channels of the weight gradient) per gradient tile. */
    static final int GRAD_MR = 4;
    /** Columns (input channel x tap pairs) per gradient tile. */
    static final int GRAD_NR = 6;

    private MicroKernels() {
    }


    /**
     * {@code out[ob + m*os + j] = sum over red < nRed, t < nTaps of w[wb + (red*nTaps + t)*MR + m] * x[xb + red*chStride + taps[t] + j]}
     * for {@code m < MR, j < TILE}.
     */
    static void conv6x4(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob, int os) {
        conv6x4(x, xb, chStride, taps, nTaps, nRed, w, wb, 1, MR, 0, out, ob, os, false);
    }

    /**
     * {@link #conv6x4} with the weights anywhere: output {@code m}'s weight for step {@code (red, t)} is
     * {@code w[wb + m*ws + red*(nTaps*wStep + wSkip) + t*wStep]}. Packed panels are {@code (ws, wStep, wSkip)
     * = (1, MR, 0)}; the OIHW tensor read in place is six strided rows (see {@link WeightPanels#inPlaceStep}).
     * Adds to {@code out} when {@code accumulate} (a reduction split into blocks) instead of overwriting it.
     */
    static void conv6x4(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb, int ws, int wStep, int wSkip,
                        float[] out, int ob, int os, boolean accumulate) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES) : z;
        FloatVector c01 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES) : z;
        FloatVector c02 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 0 * os + 2 * LANES) : z;
        FloatVector c03 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 0 * os + 3 * LANES) : z;
        FloatVector c10 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES) : z;
        FloatVector c11 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES) : z;
        FloatVector c12 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 1 * os + 2 * LANES) : z;
        FloatVector c13 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 1 * os + 3 * LANES) : z;
        FloatVector c20 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES) : z;
        FloatVector c21 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES) : z;
        FloatVector c22 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 2 * os + 2 * LANES) : z;
        FloatVector c23 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 2 * os + 3 * LANES) : z;
        FloatVector c30 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 3 * os + 0 * LANES) : z;
        FloatVector c31 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 3 * os + 1 * LANES) : z;
        FloatVector c32 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 3 * os + 2 * LANES) : z;
        FloatVector c33 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 3 * os + 3 * LANES) : z;
        FloatVector c40 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 4 * os + 0 * LANES) : z;
        FloatVector c41 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 4 * os + 1 * LANES) : z;
        FloatVector c42 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 4 * os + 2 * LANES) : z;
        FloatVector c43 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 4 * os + 3 * LANES) : z;
        FloatVector c50 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 5 * os + 0 * LANES) : z;
        FloatVector c51 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 5 * os + 1 * LANES) : z;
        FloatVector c52 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 5 * os + 2 * LANES) : z;
        FloatVector c53 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 5 * os + 3 * LANES) : z;
        for (int red = 0; red < nRed; red++, xb += chStride, wb += wSkip) {
            for (int t = 0; t < nTaps; t++, wb += wStep) {
                int b = xb + taps[t];
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, b + 3 * LANES);
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb + 0 * ws]);
                c00 = x0.fma(w0, c00);
                c01 = x1.fma(w0, c01);
                c02 = x2.fma(w0, c02);
                c03 = x3.fma(w0, c03);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 1 * ws]);
                c10 = x0.fma(w0, c10);
                c11 = x1.fma(w0, c11);
                c12 = x2.fma(w0, c12);
                c13 = x3.fma(w0, c13);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 2 * ws]);
                c20 = x0.fma(w0, c20);
                c21 = x1.fma(w0, c21);
                c22 = x2.fma(w0, c22);
                c23 = x3.fma(w0, c23);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 3 * ws]);
                c30 = x0.fma(w0, c30);
                c31 = x1.fma(w0, c31);
                c32 = x2.fma(w0, c32);
                c33 = x3.fma(w0, c33);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 4 * ws]);
                c40 = x0.fma(w0, c40);
                c41 = x1.fma(w0, c41);
                c42 = x2.fma(w0, c42);
                c43 = x3.fma(w0, c43);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 5 * ws]);
                c50 = x0.fma(w0, c50);
                c51 = x1.fma(w0, c51);
                c52 = x2.fma(w0, c52);
                c53 = x3.fma(w0, c53);
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c13.intoArray(out, ob + 1 * os + 3 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c23.intoArray(out, ob + 2 * os + 3 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c32.intoArray(out, ob + 3 * os + 2 * LANES);
        c33.intoArray(out, ob + 3 * os + 3 * LANES);
        c40.intoArray(out, ob + 4 * os + 0 * LANES);
        c41.intoArray(out, ob + 4 * os + 1 * LANES);
        c42.intoArray(out, ob + 4 * os + 2 * LANES);
        c43.intoArray(out, ob + 4 * os + 3 * LANES);
        c50.intoArray(out, ob + 5 * os + 0 * LANES);
        c51.intoArray(out, ob + 5 * os + 1 * LANES);
        c52.intoArray(out, ob + 5 * os + 2 * LANES);
        c53.intoArray(out, ob + 5 * os + 3 * LANES);
    }

    /** {@link #conv6x4} for the last tile of a plane when at most two vectors of positions remain (14x14 planes: 14 vectors, not 16). */
    static void conv6x2(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob, int os) {
        conv6x2(x, xb, chStride, taps, nTaps, nRed, w, wb, 1, MR, 0, out, ob, os, false);
    }

    /** {@link #conv6x2} with the weights placed as in {@link #conv6x4(float[], int, int, int[], int, int, float[], int, int, int, int, float[], int, int, boolean)}, adding to {@code out} when {@code accumulate}. */
    static void conv6x2(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb, int ws, int wStep, int wSkip,
                        float[] out, int ob, int os, boolean accumulate) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES) : z;
        FloatVector c01 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES) : z;
        FloatVector c10 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES) : z;
        FloatVector c11 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES) : z;
        FloatVector c20 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES) : z;
        FloatVector c21 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES) : z;
        FloatVector c30 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 3 * os + 0 * LANES) : z;
        FloatVector c31 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 3 * os + 1 * LANES) : z;
        FloatVector c40 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 4 * os + 0 * LANES) : z;
        FloatVector c41 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 4 * os + 1 * LANES) : z;
        FloatVector c50 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 5 * os + 0 * LANES) : z;
        FloatVector c51 = accumulate ? FloatVector.fromArray(SPECIES, out, ob + 5 * os + 1 * LANES) : z;
        for (int red = 0; red < nRed; red++, xb += chStride, wb += wSkip) {
            for (int t = 0; t < nTaps; t++, wb += wStep) {
                int b = xb + taps[t];
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb]);
                c00 = x0.fma(w0, c00);
                c01 = x1.fma(w0, c01);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 1 * ws]);
                c10 = x0.fma(w0, c10);
                c11 = x1.fma(w0, c11);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 2 * ws]);
                c20 = x0.fma(w0, c20);
                c21 = x1.fma(w0, c21);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 3 * ws]);
                c30 = x0.fma(w0, c30);
                c31 = x1.fma(w0, c31);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 4 * ws]);
                c40 = x0.fma(w0, c40);
                c41 = x1.fma(w0, c41);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 5 * ws]);
                c50 = x0.fma(w0, c50);
                c51 = x1.fma(w0, c51);
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
    }

    /**
     * {@link #conv6x4} on 3 vectors of positions, accumulating into {@code out}: two of them cover a plane's
     * last 6 vectors (14x14: 4 + 4 + 3 + 3 instead of 4 + 4 + 4 + 2), where the 2-vector tile ran at 0.6 of
     * the 4-vector one (12 FMAs per 8 loads; this one does 18 per 9). Weights placed as in
     * {@link #conv6x4(float[], int, int, int[], int, int, float[], int, int, int, int, float[], int, int, boolean)}.
     */
    static void conv6x3(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb, int ws, int wStep, int wSkip,
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
        for (int red = 0; red < nRed; red++, xb += chStride, wb += wSkip) {
            for (int t = 0; t < nTaps; t++, wb += wStep) {
                int b = xb + taps[t];
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb]);
                c00 = x0.fma(w0, c00);
                c01 = x1.fma(w0, c01);
                c02 = x2.fma(w0, c02);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 1 * ws]);
                c10 = x0.fma(w0, c10);
                c11 = x1.fma(w0, c11);
                c12 = x2.fma(w0, c12);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 2 * ws]);
                c20 = x0.fma(w0, c20);
                c21 = x1.fma(w0, c21);
                c22 = x2.fma(w0, c22);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 3 * ws]);
                c30 = x0.fma(w0, c30);
                c31 = x1.fma(w0, c31);
                c32 = x2.fma(w0, c32);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 4 * ws]);
                c40 = x0.fma(w0, c40);
                c41 = x1.fma(w0, c41);
                c42 = x2.fma(w0, c42);
                w0 = FloatVector.broadcast(SPECIES, w[wb + 5 * ws]);
                c50 = x0.fma(w0, c50);
                c51 = x1.fma(w0, c51);
                c52 = x2.fma(w0, c52);
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
    }

    /**
     * {@link #conv6x4} for one tap at offset 0 (1x1 kernels): {@code out[ob + m*os + j] = sum over red < nRed of
     * w[wb + red*MR + m] * x[xb + red*chStride + j]}. Without the tap loop the reduction is one counted
     * loop whose indices C2 can range-check once.
     */
    static void gemm6x4(float[] x, int xb, int chStride, int nRed, float[] w, int wb, float[] out, int ob, int os) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z, c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z, c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int red = 0; red < nRed; red++) {
            int b = xb + red * chStride;
            int wi = wb + red * MR;
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, b + 3 * LANES);
            FloatVector w0 = FloatVector.broadcast(SPECIES, w[wi]);
            c00 = x0.fma(w0, c00);
            c01 = x1.fma(w0, c01);
            c02 = x2.fma(w0, c02);
            c03 = x3.fma(w0, c03);
            w0 = FloatVector.broadcast(SPECIES, w[wi + 1]);
            c10 = x0.fma(w0, c10);
            c11 = x1.fma(w0, c11);
            c12 = x2.fma(w0, c12);
            c13 = x3.fma(w0, c13);
            w0 = FloatVector.broadcast(SPECIES, w[wi + 2]);
            c20 = x0.fma(w0, c20);
            c21 = x1.fma(w0, c21);
            c22 = x2.fma(w0, c22);
            c23 = x3.fma(w0, c23);
            w0 = FloatVector.broadcast(SPECIES, w[wi + 3]);
            c30 = x0.fma(w0, c30);
            c31 = x1.fma(w0, c31);
            c32 = x2.fma(w0, c32);
            c33 = x3.fma(w0, c33);
            w0 = FloatVector.broadcast(SPECIES, w[wi + 4]);
            c40 = x0.fma(w0, c40);
            c41 = x1.fma(w0, c41);
            c42 = x2.fma(w0, c42);
            c43 = x3.fma(w0, c43);
            w0 = FloatVector.broadcast(SPECIES, w[wi + 5]);
            c50 = x0.fma(w0, c50);
            c51 = x1.fma(w0, c51);
            c52 = x2.fma(w0, c52);
            c53 = x3.fma(w0, c53);
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c13.intoArray(out, ob + 1 * os + 3 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c23.intoArray(out, ob + 2 * os + 3 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c32.intoArray(out, ob + 3 * os + 2 * LANES);
        c33.intoArray(out, ob + 3 * os + 3 * LANES);
        c40.intoArray(out, ob + 4 * os + 0 * LANES);
        c41.intoArray(out, ob + 4 * os + 1 * LANES);
        c42.intoArray(out, ob + 4 * os + 2 * LANES);
        c43.intoArray(out, ob + 4 * os + 3 * LANES);
        c50.intoArray(out, ob + 5 * os + 0 * LANES);
        c51.intoArray(out, ob + 5 * os + 1 * LANES);
        c52.intoArray(out, ob + 5 * os + 2 * LANES);
        c53.intoArray(out, ob + 5 * os + 3 * LANES);
    }

    /** {@link #conv6x4} on the first 4 rows of a 6-row panel (the last panel when the outputs are 4 mod 6: 64, 256): no FMAs on the 2 zero rows; accumulates into {@code out}. */
    static void conv4x4(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob, int os) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 3 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 0 * LANES);
        FloatVector c31 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 1 * LANES);
        FloatVector c32 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 2 * LANES);
        FloatVector c33 = FloatVector.fromArray(SPECIES, out, ob + 3 * os + 3 * LANES);
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += MR) {
                int b = xb + taps[t];
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
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c13.intoArray(out, ob + 1 * os + 3 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c23.intoArray(out, ob + 2 * os + 3 * LANES);
        c30.intoArray(out, ob + 3 * os + 0 * LANES);
        c31.intoArray(out, ob + 3 * os + 1 * LANES);
        c32.intoArray(out, ob + 3 * os + 2 * LANES);
        c33.intoArray(out, ob + 3 * os + 3 * LANES);
    }

    /** {@link #conv6x4} on the first 2 rows of a 6-row panel (the last panel when the outputs are 2 mod 6: 128); accumulates into {@code out}. */
    static void conv2x4(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob, int os) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 3 * LANES);
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += MR) {
                int b = xb + taps[t];
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
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c13.intoArray(out, ob + 1 * os + 3 * LANES);
    }

    /**
     * Three output channels x 8 vectors (two tiles of positions): the register tile for three outputs per group
     * (an RGB input's gradient). Each input vector feeds only three FMAs, so {@link #conv3x4} is bound by its
     * loads and loop; twice the positions per step give 24 FMAs per 8 input loads and 3 broadcasts, like
     * {@link #conv6x4}. Weights {@code w[wb + (red*nTaps + t)*3 + m]}; accumulates into {@code out[ob + m*os + j]}, {@code j < 2*TILE}.
     */
    static void conv3x8(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob, int os) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 3 * LANES);
        FloatVector c04 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 4 * LANES);
        FloatVector c05 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 5 * LANES);
        FloatVector c06 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 6 * LANES);
        FloatVector c07 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 7 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 3 * LANES);
        FloatVector c14 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 4 * LANES);
        FloatVector c15 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 5 * LANES);
        FloatVector c16 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 6 * LANES);
        FloatVector c17 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 7 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 3 * LANES);
        FloatVector c24 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 4 * LANES);
        FloatVector c25 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 5 * LANES);
        FloatVector c26 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 6 * LANES);
        FloatVector c27 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 7 * LANES);
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += 3) {
                int b = xb + taps[t];
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb]);
                FloatVector w1 = FloatVector.broadcast(SPECIES, w[wb + 1]);
                FloatVector w2 = FloatVector.broadcast(SPECIES, w[wb + 2]);
                FloatVector xv = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                c00 = xv.fma(w0, c00);
                c10 = xv.fma(w1, c10);
                c20 = xv.fma(w2, c20);
                xv = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                c01 = xv.fma(w0, c01);
                c11 = xv.fma(w1, c11);
                c21 = xv.fma(w2, c21);
                xv = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
                c02 = xv.fma(w0, c02);
                c12 = xv.fma(w1, c12);
                c22 = xv.fma(w2, c22);
                xv = FloatVector.fromArray(SPECIES, x, b + 3 * LANES);
                c03 = xv.fma(w0, c03);
                c13 = xv.fma(w1, c13);
                c23 = xv.fma(w2, c23);
                xv = FloatVector.fromArray(SPECIES, x, b + 4 * LANES);
                c04 = xv.fma(w0, c04);
                c14 = xv.fma(w1, c14);
                c24 = xv.fma(w2, c24);
                xv = FloatVector.fromArray(SPECIES, x, b + 5 * LANES);
                c05 = xv.fma(w0, c05);
                c15 = xv.fma(w1, c15);
                c25 = xv.fma(w2, c25);
                xv = FloatVector.fromArray(SPECIES, x, b + 6 * LANES);
                c06 = xv.fma(w0, c06);
                c16 = xv.fma(w1, c16);
                c26 = xv.fma(w2, c26);
                xv = FloatVector.fromArray(SPECIES, x, b + 7 * LANES);
                c07 = xv.fma(w0, c07);
                c17 = xv.fma(w1, c17);
                c27 = xv.fma(w2, c27);
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        c04.intoArray(out, ob + 0 * os + 4 * LANES);
        c05.intoArray(out, ob + 0 * os + 5 * LANES);
        c06.intoArray(out, ob + 0 * os + 6 * LANES);
        c07.intoArray(out, ob + 0 * os + 7 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c13.intoArray(out, ob + 1 * os + 3 * LANES);
        c14.intoArray(out, ob + 1 * os + 4 * LANES);
        c15.intoArray(out, ob + 1 * os + 5 * LANES);
        c16.intoArray(out, ob + 1 * os + 6 * LANES);
        c17.intoArray(out, ob + 1 * os + 7 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c23.intoArray(out, ob + 2 * os + 3 * LANES);
        c24.intoArray(out, ob + 2 * os + 4 * LANES);
        c25.intoArray(out, ob + 2 * os + 5 * LANES);
        c26.intoArray(out, ob + 2 * os + 6 * LANES);
        c27.intoArray(out, ob + 2 * os + 7 * LANES);
    }

    /** {@link #conv6x4} for three output channels (an RGB input's gradient: a 6-row panel would be half zeros); weights {@code w[wb + (red*nTaps + t)*3 + m]}; accumulates into {@code out}. */
    static void conv3x4(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob, int os) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, out, ob + 0 * os + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 0 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 1 * LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 2 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, out, ob + 1 * os + 3 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 0 * LANES);
        FloatVector c21 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 1 * LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 2 * LANES);
        FloatVector c23 = FloatVector.fromArray(SPECIES, out, ob + 2 * os + 3 * LANES);
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb += 3) {
                int b = xb + taps[t];
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + 0 * LANES);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + 1 * LANES);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, b + 3 * LANES);
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb]);
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
            }
        }
        c00.intoArray(out, ob + 0 * os + 0 * LANES);
        c01.intoArray(out, ob + 0 * os + 1 * LANES);
        c02.intoArray(out, ob + 0 * os + 2 * LANES);
        c03.intoArray(out, ob + 0 * os + 3 * LANES);
        c10.intoArray(out, ob + 1 * os + 0 * LANES);
        c11.intoArray(out, ob + 1 * os + 1 * LANES);
        c12.intoArray(out, ob + 1 * os + 2 * LANES);
        c13.intoArray(out, ob + 1 * os + 3 * LANES);
        c20.intoArray(out, ob + 2 * os + 0 * LANES);
        c21.intoArray(out, ob + 2 * os + 1 * LANES);
        c22.intoArray(out, ob + 2 * os + 2 * LANES);
        c23.intoArray(out, ob + 2 * os + 3 * LANES);
    }

    /** {@link #conv6x4} for one output channel: {@code out[ob + j] = sum of w[wb + red*nTaps + t] * x[xb + red*chStride + taps[t] + j]}. */
    static void conv1x4(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w, int wb,
                        float[] out, int ob) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        for (int red = 0; red < nRed; red++, xb += chStride) {
            for (int t = 0; t < nTaps; t++, wb++) {
                int b = xb + taps[t];
                FloatVector w0 = FloatVector.broadcast(SPECIES, w[wb]);
                c0 = FloatVector.fromArray(SPECIES, x, b).fma(w0, c0);
                c1 = FloatVector.fromArray(SPECIES, x, b + LANES).fma(w0, c1);
                c2 = FloatVector.fromArray(SPECIES, x, b + 2 * LANES).fma(w0, c2);
                c3 = FloatVector.fromArray(SPECIES, x, b + 3 * LANES).fma(w0, c3);
            }
        }
        c0.intoArray(out, ob);
        c1.intoArray(out, ob + LANES);
        c2.intoArray(out, ob + 2 * LANES);
        c3.intoArray(out, ob + 3 * LANES);
    }

    /**
     * Weight-gradient tile: {@code acc[(m*GRAD_NR + j)*LANES ..] += dy[db + m*dyStride + p ..] * x[xb + cols[j] + p ..]}
     * for {@code p} in {@code [0, length)} step {@code LANES}, {@code m < GRAD_MR}, {@code j < GRAD_NR}. The
     * partial sums stay vectors in {@code acc} between calls (one call per position block) and are
     * reduced across lanes once at the end, so the summation order is fixed.
     */
    static void grad4x6(float[] dy, int db, int dyStride, float[] x, int xb, int[] cols, int col0, int length,
                        int rows, int dyRowStride, int xRowStride, float[] acc, int ab) {
        FloatVector a00 = FloatVector.fromArray(SPECIES, acc, ab + 0 * LANES);
        FloatVector a01 = FloatVector.fromArray(SPECIES, acc, ab + 1 * LANES);
        FloatVector a02 = FloatVector.fromArray(SPECIES, acc, ab + 2 * LANES);
        FloatVector a03 = FloatVector.fromArray(SPECIES, acc, ab + 3 * LANES);
        FloatVector a04 = FloatVector.fromArray(SPECIES, acc, ab + 4 * LANES);
        FloatVector a05 = FloatVector.fromArray(SPECIES, acc, ab + 5 * LANES);
        FloatVector a10 = FloatVector.fromArray(SPECIES, acc, ab + 6 * LANES);
        FloatVector a11 = FloatVector.fromArray(SPECIES, acc, ab + 7 * LANES);
        FloatVector a12 = FloatVector.fromArray(SPECIES, acc, ab + 8 * LANES);
        FloatVector a13 = FloatVector.fromArray(SPECIES, acc, ab + 9 * LANES);
        FloatVector a14 = FloatVector.fromArray(SPECIES, acc, ab + 10 * LANES);
        FloatVector a15 = FloatVector.fromArray(SPECIES, acc, ab + 11 * LANES);
        FloatVector a20 = FloatVector.fromArray(SPECIES, acc, ab + 12 * LANES);
        FloatVector a21 = FloatVector.fromArray(SPECIES, acc, ab + 13 * LANES);
        FloatVector a22 = FloatVector.fromArray(SPECIES, acc, ab + 14 * LANES);
        FloatVector a23 = FloatVector.fromArray(SPECIES, acc, ab + 15 * LANES);
        FloatVector a24 = FloatVector.fromArray(SPECIES, acc, ab + 16 * LANES);
        FloatVector a25 = FloatVector.fromArray(SPECIES, acc, ab + 17 * LANES);
        FloatVector a30 = FloatVector.fromArray(SPECIES, acc, ab + 18 * LANES);
        FloatVector a31 = FloatVector.fromArray(SPECIES, acc, ab + 19 * LANES);
        FloatVector a32 = FloatVector.fromArray(SPECIES, acc, ab + 20 * LANES);
        FloatVector a33 = FloatVector.fromArray(SPECIES, acc, ab + 21 * LANES);
        FloatVector a34 = FloatVector.fromArray(SPECIES, acc, ab + 22 * LANES);
        FloatVector a35 = FloatVector.fromArray(SPECIES, acc, ab + 23 * LANES);
        int o0 = xb + cols[col0 + 0];
        int o1 = xb + cols[col0 + 1];
        int o2 = xb + cols[col0 + 2];
        int o3 = xb + cols[col0 + 3];
        int o4 = xb + cols[col0 + 4];
        int o5 = xb + cols[col0 + 5];
        int d0 = db + 0 * dyStride;
        int d1 = db + 1 * dyStride;
        int d2 = db + 2 * dyStride;
        int d3 = db + 3 * dyStride;
        for (int row = 0, dr = 0, xr = 0; row < rows; row++, dr += dyRowStride, xr += xRowStride) {
            for (int p = 0, q = dr; p < length; p += LANES, q += LANES) {
                FloatVector y0 = FloatVector.fromArray(SPECIES, dy, d0 + q);
                FloatVector y1 = FloatVector.fromArray(SPECIES, dy, d1 + q);
                FloatVector y2 = FloatVector.fromArray(SPECIES, dy, d2 + q);
                FloatVector y3 = FloatVector.fromArray(SPECIES, dy, d3 + q);
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, o0 + xr + p);
                a00 = y0.fma(x0, a00);
                a10 = y1.fma(x0, a10);
                a20 = y2.fma(x0, a20);
                a30 = y3.fma(x0, a30);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, o1 + xr + p);
                a01 = y0.fma(x1, a01);
                a11 = y1.fma(x1, a11);
                a21 = y2.fma(x1, a21);
                a31 = y3.fma(x1, a31);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, o2 + xr + p);
                a02 = y0.fma(x2, a02);
                a12 = y1.fma(x2, a12);
                a22 = y2.fma(x2, a22);
                a32 = y3.fma(x2, a32);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, o3 + xr + p);
                a03 = y0.fma(x3, a03);
                a13 = y1.fma(x3, a13);
                a23 = y2.fma(x3, a23);
                a33 = y3.fma(x3, a33);
                FloatVector x4 = FloatVector.fromArray(SPECIES, x, o4 + xr + p);
                a04 = y0.fma(x4, a04);
                a14 = y1.fma(x4, a14);
                a24 = y2.fma(x4, a24);
                a34 = y3.fma(x4, a34);
                FloatVector x5 = FloatVector.fromArray(SPECIES, x, o5 + xr + p);
                a05 = y0.fma(x5, a05);
                a15 = y1.fma(x5, a15);
                a25 = y2.fma(x5, a25);
                a35 = y3.fma(x5, a35);
            }
        }
        a00.intoArray(acc, ab + 0 * LANES);
        a01.intoArray(acc, ab + 1 * LANES);
        a02.intoArray(acc, ab + 2 * LANES);
        a03.intoArray(acc, ab + 3 * LANES);
        a04.intoArray(acc, ab + 4 * LANES);
        a05.intoArray(acc, ab + 5 * LANES);
        a10.intoArray(acc, ab + 6 * LANES);
        a11.intoArray(acc, ab + 7 * LANES);
        a12.intoArray(acc, ab + 8 * LANES);
        a13.intoArray(acc, ab + 9 * LANES);
        a14.intoArray(acc, ab + 10 * LANES);
        a15.intoArray(acc, ab + 11 * LANES);
        a20.intoArray(acc, ab + 12 * LANES);
        a21.intoArray(acc, ab + 13 * LANES);
        a22.intoArray(acc, ab + 14 * LANES);
        a23.intoArray(acc, ab + 15 * LANES);
        a24.intoArray(acc, ab + 16 * LANES);
        a25.intoArray(acc, ab + 17 * LANES);
        a30.intoArray(acc, ab + 18 * LANES);
        a31.intoArray(acc, ab + 19 * LANES);
        a32.intoArray(acc, ab + 20 * LANES);
        a33.intoArray(acc, ab + 21 * LANES);
        a34.intoArray(acc, ab + 22 * LANES);
        a35.intoArray(acc, ab + 23 * LANES);
    }

    /**
     * {@link #grad4x6} with 6 rows x 4 columns, for output-channel counts that are multiples of 6 (LeNet conv1):
     * {@code acc[(m*4 + j)*LANES ..] += dy[db + m*dyStride + p ..] * x[xb + cols[col0 + j] + p ..]}.
     */
    static void grad6x4(float[] dy, int db, int dyStride, float[] x, int xb, int[] cols, int col0, int length,
                        int rows, int dyRowStride, int xRowStride, float[] acc, int ab) {
        FloatVector a00 = FloatVector.fromArray(SPECIES, acc, ab + 0 * LANES);
        FloatVector a01 = FloatVector.fromArray(SPECIES, acc, ab + 1 * LANES);
        FloatVector a02 = FloatVector.fromArray(SPECIES, acc, ab + 2 * LANES);
        FloatVector a03 = FloatVector.fromArray(SPECIES, acc, ab + 3 * LANES);
        FloatVector a10 = FloatVector.fromArray(SPECIES, acc, ab + 4 * LANES);
        FloatVector a11 = FloatVector.fromArray(SPECIES, acc, ab + 5 * LANES);
        FloatVector a12 = FloatVector.fromArray(SPECIES, acc, ab + 6 * LANES);
        FloatVector a13 = FloatVector.fromArray(SPECIES, acc, ab + 7 * LANES);
        FloatVector a20 = FloatVector.fromArray(SPECIES, acc, ab + 8 * LANES);
        FloatVector a21 = FloatVector.fromArray(SPECIES, acc, ab + 9 * LANES);
        FloatVector a22 = FloatVector.fromArray(SPECIES, acc, ab + 10 * LANES);
        FloatVector a23 = FloatVector.fromArray(SPECIES, acc, ab + 11 * LANES);
        FloatVector a30 = FloatVector.fromArray(SPECIES, acc, ab + 12 * LANES);
        FloatVector a31 = FloatVector.fromArray(SPECIES, acc, ab + 13 * LANES);
        FloatVector a32 = FloatVector.fromArray(SPECIES, acc, ab + 14 * LANES);
        FloatVector a33 = FloatVector.fromArray(SPECIES, acc, ab + 15 * LANES);
        FloatVector a40 = FloatVector.fromArray(SPECIES, acc, ab + 16 * LANES);
        FloatVector a41 = FloatVector.fromArray(SPECIES, acc, ab + 17 * LANES);
        FloatVector a42 = FloatVector.fromArray(SPECIES, acc, ab + 18 * LANES);
        FloatVector a43 = FloatVector.fromArray(SPECIES, acc, ab + 19 * LANES);
        FloatVector a50 = FloatVector.fromArray(SPECIES, acc, ab + 20 * LANES);
        FloatVector a51 = FloatVector.fromArray(SPECIES, acc, ab + 21 * LANES);
        FloatVector a52 = FloatVector.fromArray(SPECIES, acc, ab + 22 * LANES);
        FloatVector a53 = FloatVector.fromArray(SPECIES, acc, ab + 23 * LANES);
        int o0 = xb + cols[col0 + 0];
        int o1 = xb + cols[col0 + 1];
        int o2 = xb + cols[col0 + 2];
        int o3 = xb + cols[col0 + 3];
        int d0 = db + 0 * dyStride;
        int d1 = db + 1 * dyStride;
        int d2 = db + 2 * dyStride;
        int d3 = db + 3 * dyStride;
        int d4 = db + 4 * dyStride;
        int d5 = db + 5 * dyStride;
        for (int row = 0, dr = 0, xr = 0; row < rows; row++, dr += dyRowStride, xr += xRowStride) {
            for (int p = 0, q = dr; p < length; p += LANES, q += LANES) {
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, o0 + xr + p);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, o1 + xr + p);
                FloatVector x2 = FloatVector.fromArray(SPECIES, x, o2 + xr + p);
                FloatVector x3 = FloatVector.fromArray(SPECIES, x, o3 + xr + p);
                FloatVector y0 = FloatVector.fromArray(SPECIES, dy, d0 + q);
                a00 = y0.fma(x0, a00);
                a01 = y0.fma(x1, a01);
                a02 = y0.fma(x2, a02);
                a03 = y0.fma(x3, a03);
                FloatVector y1 = FloatVector.fromArray(SPECIES, dy, d1 + q);
                a10 = y1.fma(x0, a10);
                a11 = y1.fma(x1, a11);
                a12 = y1.fma(x2, a12);
                a13 = y1.fma(x3, a13);
                FloatVector y2 = FloatVector.fromArray(SPECIES, dy, d2 + q);
                a20 = y2.fma(x0, a20);
                a21 = y2.fma(x1, a21);
                a22 = y2.fma(x2, a22);
                a23 = y2.fma(x3, a23);
                FloatVector y3 = FloatVector.fromArray(SPECIES, dy, d3 + q);
                a30 = y3.fma(x0, a30);
                a31 = y3.fma(x1, a31);
                a32 = y3.fma(x2, a32);
                a33 = y3.fma(x3, a33);
                FloatVector y4 = FloatVector.fromArray(SPECIES, dy, d4 + q);
                a40 = y4.fma(x0, a40);
                a41 = y4.fma(x1, a41);
                a42 = y4.fma(x2, a42);
                a43 = y4.fma(x3, a43);
                FloatVector y5 = FloatVector.fromArray(SPECIES, dy, d5 + q);
                a50 = y5.fma(x0, a50);
                a51 = y5.fma(x1, a51);
                a52 = y5.fma(x2, a52);
                a53 = y5.fma(x3, a53);
            }
        }
        a00.intoArray(acc, ab + 0 * LANES);
        a01.intoArray(acc, ab + 1 * LANES);
        a02.intoArray(acc, ab + 2 * LANES);
        a03.intoArray(acc, ab + 3 * LANES);
        a10.intoArray(acc, ab + 4 * LANES);
        a11.intoArray(acc, ab + 5 * LANES);
        a12.intoArray(acc, ab + 6 * LANES);
        a13.intoArray(acc, ab + 7 * LANES);
        a20.intoArray(acc, ab + 8 * LANES);
        a21.intoArray(acc, ab + 9 * LANES);
        a22.intoArray(acc, ab + 10 * LANES);
        a23.intoArray(acc, ab + 11 * LANES);
        a30.intoArray(acc, ab + 12 * LANES);
        a31.intoArray(acc, ab + 13 * LANES);
        a32.intoArray(acc, ab + 14 * LANES);
        a33.intoArray(acc, ab + 15 * LANES);
        a40.intoArray(acc, ab + 16 * LANES);
        a41.intoArray(acc, ab + 17 * LANES);
        a42.intoArray(acc, ab + 18 * LANES);
        a43.intoArray(acc, ab + 19 * LANES);
        a50.intoArray(acc, ab + 20 * LANES);
        a51.intoArray(acc, ab + 21 * LANES);
        a52.intoArray(acc, ab + 22 * LANES);
        a53.intoArray(acc, ab + 23 * LANES);
    }

    /**
     * Weight-gradient tile with the output channels along the vectors (no lane reductions, for planes
     * too small to amortise them): {@code acc[ab + (m*NR + j)*LANES + i] += x[xb + cols[col0 + m] + p] *
     * dyT[yb + p*yStride + j*LANES + i]} for {@code p < length}, where {@code dyT} is the output gradient
     * transposed to [position][channel].
     */
    static void gradT6x4(float[] dyT, int yb, int yStride, float[] x, int xb, int[] cols, int col0, int length,
                         float[] acc, int ab) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, acc, ab + 0 * LANES);
        FloatVector c01 = FloatVector.fromArray(SPECIES, acc, ab + 1 * LANES);
        FloatVector c02 = FloatVector.fromArray(SPECIES, acc, ab + 2 * LANES);
        FloatVector c03 = FloatVector.fromArray(SPECIES, acc, ab + 3 * LANES);
        FloatVector c10 = FloatVector.fromArray(SPECIES, acc, ab + 4 * LANES);
        FloatVector c11 = FloatVector.fromArray(SPECIES, acc, ab + 5 * LANES);
        FloatVector c12 = FloatVector.fromArray(SPECIES, acc, ab + 6 * LANES);
        FloatVector c13 = FloatVector.fromArray(SPECIES, acc, ab + 7 * LANES);
        FloatVector c20 = FloatVector.fromArray(SPECIES, acc, ab + 8 * LANES);
        FloatVector c21 = FloatVector.fromArray(SPECIES, acc, ab + 9 * LANES);
        FloatVector c22 = FloatVector.fromArray(SPECIES, acc, ab + 10 * LANES);
        FloatVector c23 = FloatVector.fromArray(SPECIES, acc, ab + 11 * LANES);
        FloatVector c30 = FloatVector.fromArray(SPECIES, acc, ab + 12 * LANES);
        FloatVector c31 = FloatVector.fromArray(SPECIES, acc, ab + 13 * LANES);
        FloatVector c32 = FloatVector.fromArray(SPECIES, acc, ab + 14 * LANES);
        FloatVector c33 = FloatVector.fromArray(SPECIES, acc, ab + 15 * LANES);
        FloatVector c40 = FloatVector.fromArray(SPECIES, acc, ab + 16 * LANES);
        FloatVector c41 = FloatVector.fromArray(SPECIES, acc, ab + 17 * LANES);
        FloatVector c42 = FloatVector.fromArray(SPECIES, acc, ab + 18 * LANES);
        FloatVector c43 = FloatVector.fromArray(SPECIES, acc, ab + 19 * LANES);
        FloatVector c50 = FloatVector.fromArray(SPECIES, acc, ab + 20 * LANES);
        FloatVector c51 = FloatVector.fromArray(SPECIES, acc, ab + 21 * LANES);
        FloatVector c52 = FloatVector.fromArray(SPECIES, acc, ab + 22 * LANES);
        FloatVector c53 = FloatVector.fromArray(SPECIES, acc, ab + 23 * LANES);
        int o0 = xb + cols[col0 + 0];
        int o1 = xb + cols[col0 + 1];
        int o2 = xb + cols[col0 + 2];
        int o3 = xb + cols[col0 + 3];
        int o4 = xb + cols[col0 + 4];
        int o5 = xb + cols[col0 + 5];
        for (int p = 0; p < length; p++) {
            int yi = yb + p * yStride;
            FloatVector y0 = FloatVector.fromArray(SPECIES, dyT, yi + 0 * LANES);
            FloatVector y1 = FloatVector.fromArray(SPECIES, dyT, yi + 1 * LANES);
            FloatVector y2 = FloatVector.fromArray(SPECIES, dyT, yi + 2 * LANES);
            FloatVector y3 = FloatVector.fromArray(SPECIES, dyT, yi + 3 * LANES);
            FloatVector w0 = FloatVector.broadcast(SPECIES, x[o0 + p]);
            c00 = y0.fma(w0, c00);
            c01 = y1.fma(w0, c01);
            c02 = y2.fma(w0, c02);
            c03 = y3.fma(w0, c03);
            w0 = FloatVector.broadcast(SPECIES, x[o1 + p]);
            c10 = y0.fma(w0, c10);
            c11 = y1.fma(w0, c11);
            c12 = y2.fma(w0, c12);
            c13 = y3.fma(w0, c13);
            w0 = FloatVector.broadcast(SPECIES, x[o2 + p]);
            c20 = y0.fma(w0, c20);
            c21 = y1.fma(w0, c21);
            c22 = y2.fma(w0, c22);
            c23 = y3.fma(w0, c23);
            w0 = FloatVector.broadcast(SPECIES, x[o3 + p]);
            c30 = y0.fma(w0, c30);
            c31 = y1.fma(w0, c31);
            c32 = y2.fma(w0, c32);
            c33 = y3.fma(w0, c33);
            w0 = FloatVector.broadcast(SPECIES, x[o4 + p]);
            c40 = y0.fma(w0, c40);
            c41 = y1.fma(w0, c41);
            c42 = y2.fma(w0, c42);
            c43 = y3.fma(w0, c43);
            w0 = FloatVector.broadcast(SPECIES, x[o5 + p]);
            c50 = y0.fma(w0, c50);
            c51 = y1.fma(w0, c51);
            c52 = y2.fma(w0, c52);
            c53 = y3.fma(w0, c53);
        }
        c00.intoArray(acc, ab + 0 * LANES);
        c01.intoArray(acc, ab + 1 * LANES);
        c02.intoArray(acc, ab + 2 * LANES);
        c03.intoArray(acc, ab + 3 * LANES);
        c10.intoArray(acc, ab + 4 * LANES);
        c11.intoArray(acc, ab + 5 * LANES);
        c12.intoArray(acc, ab + 6 * LANES);
        c13.intoArray(acc, ab + 7 * LANES);
        c20.intoArray(acc, ab + 8 * LANES);
        c21.intoArray(acc, ab + 9 * LANES);
        c22.intoArray(acc, ab + 10 * LANES);
        c23.intoArray(acc, ab + 11 * LANES);
        c30.intoArray(acc, ab + 12 * LANES);
        c31.intoArray(acc, ab + 13 * LANES);
        c32.intoArray(acc, ab + 14 * LANES);
        c33.intoArray(acc, ab + 15 * LANES);
        c40.intoArray(acc, ab + 16 * LANES);
        c41.intoArray(acc, ab + 17 * LANES);
        c42.intoArray(acc, ab + 18 * LANES);
        c43.intoArray(acc, ab + 19 * LANES);
        c50.intoArray(acc, ab + 20 * LANES);
        c51.intoArray(acc, ab + 21 * LANES);
        c52.intoArray(acc, ab + 22 * LANES);
        c53.intoArray(acc, ab + 23 * LANES);
    }

    /** {@code out[to + i] = tile[from + i] + bias} for {@code i < length}. */
    static void addBias(float[] tile, int from, float bias, float[] out, int to, int length) {
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        int i = 0;
        for (int end = SPECIES.loopBound(length); i < end; i += LANES) {
            FloatVector.fromArray(SPECIES, tile, from + i).add(b).intoArray(out, to + i);
        }
        if (i < length) { // the row's last partial vector: one masked store (rows are often 7..56 floats)
            VectorMask<Float> tail = SPECIES.indexInRange(i, length);
            FloatVector.fromArray(SPECIES, tile, from + i, tail).add(b).intoArray(out, to + i, tail);
        }
    }

    /** {@link #grad4x6} for one output-gradient row (depthwise): {@code acc[ab + j*LANES ..] += dy[db + p ..] * x[xb + cols[col0 + j] + p ..]}. */
    static void grad1x6(float[] dy, int db, float[] x, int xb, int[] cols, int col0, int length, float[] acc, int ab) {
        FloatVector a0 = FloatVector.fromArray(SPECIES, acc, ab + 0 * LANES);
        FloatVector a1 = FloatVector.fromArray(SPECIES, acc, ab + 1 * LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, acc, ab + 2 * LANES);
        FloatVector a3 = FloatVector.fromArray(SPECIES, acc, ab + 3 * LANES);
        FloatVector a4 = FloatVector.fromArray(SPECIES, acc, ab + 4 * LANES);
        FloatVector a5 = FloatVector.fromArray(SPECIES, acc, ab + 5 * LANES);
        int o0 = xb + cols[col0 + 0];
        int o1 = xb + cols[col0 + 1];
        int o2 = xb + cols[col0 + 2];
        int o3 = xb + cols[col0 + 3];
        int o4 = xb + cols[col0 + 4];
        int o5 = xb + cols[col0 + 5];
        for (int p = 0; p < length; p += LANES) {
            FloatVector y = FloatVector.fromArray(SPECIES, dy, db + p);
            a0 = y.fma(FloatVector.fromArray(SPECIES, x, o0 + p), a0);
            a1 = y.fma(FloatVector.fromArray(SPECIES, x, o1 + p), a1);
            a2 = y.fma(FloatVector.fromArray(SPECIES, x, o2 + p), a2);
            a3 = y.fma(FloatVector.fromArray(SPECIES, x, o3 + p), a3);
            a4 = y.fma(FloatVector.fromArray(SPECIES, x, o4 + p), a4);
            a5 = y.fma(FloatVector.fromArray(SPECIES, x, o5 + p), a5);
        }
        a0.intoArray(acc, ab + 0 * LANES);
        a1.intoArray(acc, ab + 1 * LANES);
        a2.intoArray(acc, ab + 2 * LANES);
        a3.intoArray(acc, ab + 3 * LANES);
        a4.intoArray(acc, ab + 4 * LANES);
        a5.intoArray(acc, ab + 5 * LANES);
    }

    /** {@link #grad1x6} with 9 columns (depthwise 3x3: one output-gradient load feeds all 9 taps): {@code acc[ab + j*LANES ..] += dy[db + p ..] * x[xb + cols[col0 + j] + p ..]}. */
    static void grad1x9(float[] dy, int db, float[] x, int xb, int[] cols, int col0, int length, float[] acc, int ab) {
        FloatVector a0 = FloatVector.fromArray(SPECIES, acc, ab + 0 * LANES);
        FloatVector a1 = FloatVector.fromArray(SPECIES, acc, ab + 1 * LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, acc, ab + 2 * LANES);
        FloatVector a3 = FloatVector.fromArray(SPECIES, acc, ab + 3 * LANES);
        FloatVector a4 = FloatVector.fromArray(SPECIES, acc, ab + 4 * LANES);
        FloatVector a5 = FloatVector.fromArray(SPECIES, acc, ab + 5 * LANES);
        FloatVector a6 = FloatVector.fromArray(SPECIES, acc, ab + 6 * LANES);
        FloatVector a7 = FloatVector.fromArray(SPECIES, acc, ab + 7 * LANES);
        FloatVector a8 = FloatVector.fromArray(SPECIES, acc, ab + 8 * LANES);
        int o0 = xb + cols[col0 + 0];
        int o1 = xb + cols[col0 + 1];
        int o2 = xb + cols[col0 + 2];
        int o3 = xb + cols[col0 + 3];
        int o4 = xb + cols[col0 + 4];
        int o5 = xb + cols[col0 + 5];
        int o6 = xb + cols[col0 + 6];
        int o7 = xb + cols[col0 + 7];
        int o8 = xb + cols[col0 + 8];
        for (int p = 0; p < length; p += LANES) {
            FloatVector y = FloatVector.fromArray(SPECIES, dy, db + p);
            a0 = y.fma(FloatVector.fromArray(SPECIES, x, o0 + p), a0);
            a1 = y.fma(FloatVector.fromArray(SPECIES, x, o1 + p), a1);
            a2 = y.fma(FloatVector.fromArray(SPECIES, x, o2 + p), a2);
            a3 = y.fma(FloatVector.fromArray(SPECIES, x, o3 + p), a3);
            a4 = y.fma(FloatVector.fromArray(SPECIES, x, o4 + p), a4);
            a5 = y.fma(FloatVector.fromArray(SPECIES, x, o5 + p), a5);
            a6 = y.fma(FloatVector.fromArray(SPECIES, x, o6 + p), a6);
            a7 = y.fma(FloatVector.fromArray(SPECIES, x, o7 + p), a7);
            a8 = y.fma(FloatVector.fromArray(SPECIES, x, o8 + p), a8);
        }
        a0.intoArray(acc, ab + 0 * LANES);
        a1.intoArray(acc, ab + 1 * LANES);
        a2.intoArray(acc, ab + 2 * LANES);
        a3.intoArray(acc, ab + 3 * LANES);
        a4.intoArray(acc, ab + 4 * LANES);
        a5.intoArray(acc, ab + 5 * LANES);
        a6.intoArray(acc, ab + 6 * LANES);
        a7.intoArray(acc, ab + 7 * LANES);
        a8.intoArray(acc, ab + 8 * LANES);
    }

    /**
     * The sum of the {@code LANES} floats at {@code a[i..]}, in lane order. Never {@code reduceLanes(ADD)}:
     * its order is unspecified and differs between the interpreter and C2, so results would change once
     * the JIT compiles the caller (measured on the weight gradient), breaking bit-identical reruns.
     */
    static float sumLanes(float[] a, int i) {
        float s = 0;
        for (int l = 0; l < LANES; l++) {
            s += a[i + l];
        }
        return s;
    }

    /** The lanes of {@code v} summed in lane order (constant indices: {@code lane(i)} with a variable index is not intrinsified). */
    private static float sumLanes(FloatVector v) {
        float s = v.lane(0) + v.lane(1);
        if (LANES >= 4) {
            s = s + v.lane(2) + v.lane(3);
        }
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

    /** The sum of {@code a[from..to)}, vectorised; a fixed order for given bounds. */
    /** True when no element of {@code a} is infinite or NaN ({@code 0 * x} is zero for finite {@code x} only); four chains, so memory-bound. */
    static boolean allFinite(float[] a) {
        FloatVector zero = FloatVector.zero(SPECIES), s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        int i = 0;
        for (int end = a.length - 4 * LANES; i <= end; i += 4 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, i).fma(zero, s0);
            s1 = FloatVector.fromArray(SPECIES, a, i + LANES).fma(zero, s1);
            s2 = FloatVector.fromArray(SPECIES, a, i + 2 * LANES).fma(zero, s2);
            s3 = FloatVector.fromArray(SPECIES, a, i + 3 * LANES).fma(zero, s3);
        }
        float total = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < a.length; i++) {
            total += a[i] * 0f;
        }
        return total == 0f;
    }

    static float sum(float[] a, int from, int to) {
        FloatVector s = FloatVector.zero(SPECIES);
        int i = from;
        for (int end = from + SPECIES.loopBound(to - from); i < end; i += LANES) {
            s = s.add(FloatVector.fromArray(SPECIES, a, i));
        }
        float total = sumLanes(s);
        for (; i < to; i++) {
            total += a[i];
        }
        return total;
    }
}
