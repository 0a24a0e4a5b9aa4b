package org.conv4j.simd;

import static org.conv4j.simd.DepthwiseColumns.STRIP;
import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Register kernels of the stride-1 depthwise convolution, reading the unpadded NCHW source plane in
 * place: each tap's source vector is one load at a column offset, masked by the lanes that lie inside
 * the source row ({@link DepthwiseColumns}), so padding columns read as zero without ever being
 * written anywhere, and padding rows are skipped. With 9 FMAs per element (3x3) these passes are bound
 * by memory traffic: each kernel reads every source row once per strip and writes every output (or
 * reads every output gradient) once.
 *
 * <p>Unrolled into named locals on purpose: C2 keeps those (and the loop-invariant masks) in registers.
 * The masked loads are written out, not behind a helper: a kernel this size reaches C2's inlining node
 * limit, and a helper left out-of-line receives its mask boxed (measured 40x slower).
 */
final class DepthwiseKernels {
    private DepthwiseKernels() {
    }

    /**
     * Strip {@code strip} (vectors {@code strip*STRIP ..}) of a 3x3 plane: {@code out[ob + oh*outW + start ..] =
     * bias + sum over taps (i, j) of w[wb + tap[i*3 + j]] * x[xb + sourceRow(oh, i)*srcW + source + j*dilation ..]}.
     * It rolls down the rows: each source row is loaded once (3 shifted vectors per output vector) and
     * feeds the three output rows that meet it, whose accumulators (3 x 4 vectors) stay in registers; an
     * output row is stored as soon as its last tap row is in. With a row dilation {@code d} the rows
     * {@code c, c + d, c + 2d, ...} form {@code d} independent chains, each rolled the same way.
     */
    static void strip3x3(DepthwisePlane p, DepthwiseColumns cols, int strip, float[] x, int xb, float[] w, int wb,
                         int[] tap, float bias, float[] out, int ob) {
        int v = strip * STRIP, dW = cols.dilation(), srcH = p.srcH(), srcW = p.srcW(), outW = p.outW();
        int dH = p.dilationH(), outH = p.outH();
        int[] src = cols.source(), starts = cols.starts();
        long[] mask = cols.mask();
        int s0 = src[v], s1 = src[v + 1], s2 = src[v + 2], s3 = src[v + 3];
        int o0 = starts[v], o1 = starts[v + 1], o2 = starts[v + 2], o3 = starts[v + 3];
        VectorMask<Float> k00 = mask(mask, 3 * v), k01 = mask(mask, 3 * v + 1), k02 = mask(mask, 3 * v + 2);
        VectorMask<Float> k10 = mask(mask, 3 * v + 3), k11 = mask(mask, 3 * v + 4), k12 = mask(mask, 3 * v + 5);
        VectorMask<Float> k20 = mask(mask, 3 * v + 6), k21 = mask(mask, 3 * v + 7), k22 = mask(mask, 3 * v + 8);
        VectorMask<Float> k30 = mask(mask, 3 * v + 9), k31 = mask(mask, 3 * v + 10), k32 = mask(mask, 3 * v + 11);
        FloatVector w00 = weight(w, wb, tap, 0), w01 = weight(w, wb, tap, 1), w02 = weight(w, wb, tap, 2);
        FloatVector w10 = weight(w, wb, tap, 3), w11 = weight(w, wb, tap, 4), w12 = weight(w, wb, tap, 5);
        FloatVector w20 = weight(w, wb, tap, 6), w21 = weight(w, wb, tap, 7), w22 = weight(w, wb, tap, 8);
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        for (int chain = 0; chain < Math.min(dH, outH); chain++) {
            int rows = PlaneLayout.ceilDiv(outH - chain, dH), first = chain - p.top();
            // accumulators of the output rows that have seen one (p*) and two (r*) tap rows
            FloatVector p0 = b, p1 = b, p2 = b, p3 = b, r0 = b, r1 = b, r2 = b, r3 = b;
            for (int q = 0; q < rows + 2; q++) { // source row q of the chain: tap row 0 of output q, 1 of q-1, 2 of q-2
                int sr = first + q * dH;
                FloatVector n0 = b, n1 = b, n2 = b, n3 = b;
                if (sr >= 0 && sr < srcH) {
                    int base = xb + sr * srcW;
                    FloatVector a = FloatVector.fromArray(SPECIES, x, base + s0, k00), c = FloatVector.fromArray(SPECIES, x, base + s0 + dW, k01), e = FloatVector.fromArray(SPECIES, x, base + s0 + 2 * dW, k02);
                    n0 = e.fma(w02, c.fma(w01, a.fma(w00, n0)));
                    p0 = e.fma(w12, c.fma(w11, a.fma(w10, p0)));
                    r0 = e.fma(w22, c.fma(w21, a.fma(w20, r0)));
                    a = FloatVector.fromArray(SPECIES, x, base + s1, k10);
                    c = FloatVector.fromArray(SPECIES, x, base + s1 + dW, k11);
                    e = FloatVector.fromArray(SPECIES, x, base + s1 + 2 * dW, k12);
                    n1 = e.fma(w02, c.fma(w01, a.fma(w00, n1)));
                    p1 = e.fma(w12, c.fma(w11, a.fma(w10, p1)));
                    r1 = e.fma(w22, c.fma(w21, a.fma(w20, r1)));
                    a = FloatVector.fromArray(SPECIES, x, base + s2, k20);
                    c = FloatVector.fromArray(SPECIES, x, base + s2 + dW, k21);
                    e = FloatVector.fromArray(SPECIES, x, base + s2 + 2 * dW, k22);
                    n2 = e.fma(w02, c.fma(w01, a.fma(w00, n2)));
                    p2 = e.fma(w12, c.fma(w11, a.fma(w10, p2)));
                    r2 = e.fma(w22, c.fma(w21, a.fma(w20, r2)));
                    a = FloatVector.fromArray(SPECIES, x, base + s3, k30);
                    c = FloatVector.fromArray(SPECIES, x, base + s3 + dW, k31);
                    e = FloatVector.fromArray(SPECIES, x, base + s3 + 2 * dW, k32);
                    n3 = e.fma(w02, c.fma(w01, a.fma(w00, n3)));
                    p3 = e.fma(w12, c.fma(w11, a.fma(w10, p3)));
                    r3 = e.fma(w22, c.fma(w21, a.fma(w20, r3)));
                }
                if (q >= 2) { // output row q-2 of the chain has all three tap rows
                    int row = ob + (chain + (q - 2) * dH) * outW;
                    r0.intoArray(out, row + o0);
                    r1.intoArray(out, row + o1);
                    r2.intoArray(out, row + o2);
                    r3.intoArray(out, row + o3);
                }
                r0 = p0;
                r1 = p1;
                r2 = p2;
                r3 = p3;
                p0 = n0;
                p1 = n1;
                p2 = n2;
                p3 = n3;
            }
        }
    }

    /**
     * {@link #strip3x3} for any kernel size, one output row at a time: 4 accumulators, each tap
     * {@code (i, j)} of a source row inside the plane is one broadcast weight and 4 masked loads.
     */
    static void stripTaps(DepthwisePlane p, DepthwiseColumns cols, int strip, float[] x, int xb, float[] w, int wb,
                          int[] tap, float bias, float[] out, int ob) {
        int v = strip * STRIP, dW = cols.dilation(), srcH = p.srcH(), srcW = p.srcW(), outW = p.outW(), s = p.s();
        int[] src = cols.source(), starts = cols.starts();
        long[] mask = cols.mask();
        int s0 = src[v], s1 = src[v + 1], s2 = src[v + 2], s3 = src[v + 3];
        int m0 = v * s; // mask of vector v + u, tap column j: m0 + u*s + j
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        for (int oh = 0; oh < p.outH(); oh++) {
            FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
            for (int i = 0; i < p.r(); i++) {
                int sr = p.sourceRow(oh, i);
                if (sr < 0 || sr >= srcH) {
                    continue;
                }
                int base = xb + sr * srcW;
                for (int j = 0; j < s; j++) {
                    FloatVector k = weight(w, wb, tap, i * s + j);
                    int col = base + j * dW, m = m0 + j;
                    a0 = FloatVector.fromArray(SPECIES, x, col + s0, VectorMask.fromLong(SPECIES, mask[m])).fma(k, a0);
                    a1 = FloatVector.fromArray(SPECIES, x, col + s1, VectorMask.fromLong(SPECIES, mask[m + s])).fma(k, a1);
                    a2 = FloatVector.fromArray(SPECIES, x, col + s2, VectorMask.fromLong(SPECIES, mask[m + 2 * s])).fma(k, a2);
                    a3 = FloatVector.fromArray(SPECIES, x, col + s3, VectorMask.fromLong(SPECIES, mask[m + 3 * s])).fma(k, a3);
                }
            }
            int row = ob + oh * outW;
            a0.intoArray(out, row + starts[v]);
            a1.intoArray(out, row + starts[v + 1]);
            a2.intoArray(out, row + starts[v + 2]);
            a3.intoArray(out, row + starts[v + 3]);
        }
    }

    /**
     * One image of a 3x3 weight gradient: {@code acc[t*LANES ..] += sum over output pixels of
     * dy[db + oh*outW + ow] * x[xb + sourceRow(oh, i)*srcW + ow - left + j*dilation]} lane-wise, for
     * the taps {@code t = i*3 + j}, with {@link DepthwiseColumns#disjoint disjoint} columns. The 9
     * lane-wise sums stay in registers over the plane: one gradient load feeds 9 FMAs.
     */
    static void grad3x3(DepthwisePlane p, DepthwiseColumns cols, float[] x, int xb, float[] dy, int db, float[] acc) {
        int dW = cols.dilation(), srcH = p.srcH(), srcW = p.srcW(), outW = p.outW(), vectors = cols.vectors();
        int[] src = cols.source(), starts = cols.starts();
        long[] mask = cols.mask(), outMask = cols.outMask();
        FloatVector a0 = FloatVector.fromArray(SPECIES, acc, 0), a1 = FloatVector.fromArray(SPECIES, acc, LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, acc, 2 * LANES), a3 = FloatVector.fromArray(SPECIES, acc, 3 * LANES);
        FloatVector a4 = FloatVector.fromArray(SPECIES, acc, 4 * LANES), a5 = FloatVector.fromArray(SPECIES, acc, 5 * LANES);
        FloatVector a6 = FloatVector.fromArray(SPECIES, acc, 6 * LANES), a7 = FloatVector.fromArray(SPECIES, acc, 7 * LANES);
        FloatVector a8 = FloatVector.fromArray(SPECIES, acc, 8 * LANES);
        for (int oh = 0; oh < p.outH(); oh++) {
            int sr0 = p.sourceRow(oh, 0), sr1 = p.sourceRow(oh, 1), sr2 = p.sourceRow(oh, 2);
            boolean in0 = sr0 >= 0 && sr0 < srcH, in1 = sr1 >= 0 && sr1 < srcH, in2 = sr2 >= 0 && sr2 < srcH;
            int row0 = xb + sr0 * srcW, row1 = xb + sr1 * srcW, row2 = xb + sr2 * srcW, dyRow = db + oh * outW;
            for (int v = 0; v < vectors; v++) {
                FloatVector y = FloatVector.fromArray(SPECIES, dy, dyRow + starts[v], VectorMask.fromLong(SPECIES, outMask[v]));
                int c = src[v], m = 3 * v;
                if (in0) {
                    a0 = y.fma(FloatVector.fromArray(SPECIES, x, row0 + c, VectorMask.fromLong(SPECIES, mask[m])), a0);
                    a1 = y.fma(FloatVector.fromArray(SPECIES, x, row0 + c + dW, VectorMask.fromLong(SPECIES, mask[m + 1])), a1);
                    a2 = y.fma(FloatVector.fromArray(SPECIES, x, row0 + c + 2 * dW, VectorMask.fromLong(SPECIES, mask[m + 2])), a2);
                }
                if (in1) {
                    a3 = y.fma(FloatVector.fromArray(SPECIES, x, row1 + c, VectorMask.fromLong(SPECIES, mask[m])), a3);
                    a4 = y.fma(FloatVector.fromArray(SPECIES, x, row1 + c + dW, VectorMask.fromLong(SPECIES, mask[m + 1])), a4);
                    a5 = y.fma(FloatVector.fromArray(SPECIES, x, row1 + c + 2 * dW, VectorMask.fromLong(SPECIES, mask[m + 2])), a5);
                }
                if (in2) {
                    a6 = y.fma(FloatVector.fromArray(SPECIES, x, row2 + c, VectorMask.fromLong(SPECIES, mask[m])), a6);
                    a7 = y.fma(FloatVector.fromArray(SPECIES, x, row2 + c + dW, VectorMask.fromLong(SPECIES, mask[m + 1])), a7);
                    a8 = y.fma(FloatVector.fromArray(SPECIES, x, row2 + c + 2 * dW, VectorMask.fromLong(SPECIES, mask[m + 2])), a8);
                }
            }
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, LANES);
        a2.intoArray(acc, 2 * LANES);
        a3.intoArray(acc, 3 * LANES);
        a4.intoArray(acc, 4 * LANES);
        a5.intoArray(acc, 5 * LANES);
        a6.intoArray(acc, 6 * LANES);
        a7.intoArray(acc, 7 * LANES);
        a8.intoArray(acc, 8 * LANES);
    }

    /** {@link #grad3x3} for any kernel size: the lane-wise sums live in {@code acc} (L1), one load and store per tap and vector. */
    static void gradTaps(DepthwisePlane p, DepthwiseColumns cols, float[] x, int xb, float[] dy, int db, float[] acc) {
        int dW = cols.dilation(), srcH = p.srcH(), srcW = p.srcW(), outW = p.outW(), s = p.s();
        int[] src = cols.source(), starts = cols.starts();
        long[] mask = cols.mask(), outMask = cols.outMask();
        for (int oh = 0; oh < p.outH(); oh++) {
            for (int v = 0; v < cols.vectors(); v++) {
                FloatVector y = FloatVector.fromArray(SPECIES, dy, db + oh * outW + starts[v], VectorMask.fromLong(SPECIES, outMask[v]));
                for (int i = 0; i < p.r(); i++) {
                    int sr = p.sourceRow(oh, i);
                    if (sr < 0 || sr >= srcH) {
                        continue;
                    }
                    int base = xb + sr * srcW + src[v];
                    for (int j = 0; j < s; j++) {
                        int a = (i * s + j) * LANES;
                        y.fma(FloatVector.fromArray(SPECIES, x, base + j * dW, VectorMask.fromLong(SPECIES, mask[v * s + j])), FloatVector.fromArray(SPECIES, acc, a))
                                .intoArray(acc, a);
                    }
                }
            }
        }
    }

    private static VectorMask<Float> mask(long[] bits, int i) {
        return VectorMask.fromLong(SPECIES, bits[i]);
    }

    private static FloatVector weight(float[] w, int wb, int[] tap, int t) {
        return FloatVector.broadcast(SPECIES, w[wb + tap[t]]);
    }
}
