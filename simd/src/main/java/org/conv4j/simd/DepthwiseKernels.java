package org.conv4j.simd;

import static org.conv4j.simd.DepthwiseColumns.STRIP;
import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Register kernels of the stride-1 depthwise convolution, reading the unpadded NCHW planes in place.
 * With 9 FMAs per element (3x3) these passes are bound by memory traffic, so every kernel reads each
 * source row once per strip of {@link DepthwiseColumns#STRIP} vectors and writes each output row (or
 * reads each output-gradient row) once; nothing is packed beyond a copy of the rows an edge strip
 * reads ({@link DepthwiseColumns}).
 *
 * <p>The 3x3 kernels use plain loads only. Masked loads (as in the generic kernels) are fast in C2,
 * but unrolled 12 or 24 times they made the kernels too big for C1: its tier-3 compile failed ("out
 * of virtual registers"), and a kernel first compiled at tier 2 then stayed there, 40x slower.
 * Unrolled into named locals on purpose: C2 keeps those in registers.
 */
final class DepthwiseKernels {
    /**
     * Source rows the 3x3 kernels copy before computing on them. The copies are calls (C2 does not
     * inline them into kernels this size), and every vector register is caller-saved: a copy per row
     * inside the FMA loop spilled all accumulators every row (2x the time). In blocks, they are spilled
     * once per block, and the first rows' stores have drained before their (unaligned, so never
     * store-forwarded) loads come.
     */
    static final int ROW_BLOCK = 8;
    /** Source-row buffer slots of the 3x3 kernels: one block. */
    static final int SOURCE_SLOTS = ROW_BLOCK;
    /** Gradient-row buffer slots of {@link #gradStrip3x3}: the block and the two rows before it (a power of 2). */
    static final int GRADIENT_SLOTS = 2 * ROW_BLOCK;

    private DepthwiseKernels() {
    }

    /** Floats of the row buffers the 3x3 kernels need for {@code cols}: source slots, then gradient slots and a zero gradient row. */
    static int bufferFloats(DepthwiseColumns cols) {
        return SOURCE_SLOTS * cols.width + (GRADIENT_SLOTS + 1) * cols.outWidth;
    }

    /**
     * Strip {@code strip} of a 3x3 plane: {@code out[ob + oh*outW + start ..] = bias + sum over taps (i, j)
     * of w[wb + tap[i*3 + j]] * x[xb + sourceRow(oh, i)*srcW + source + j*dilation ..]}. It rolls down the
     * rows: each source row is loaded once (3 shifted vectors per output vector) and feeds the three
     * output rows that meet it, whose accumulators (3 x 4 vectors) stay in registers; an output row is
     * stored as soon as its last tap row is in. With a row dilation {@code d} the rows
     * {@code c, c + d, c + 2d, ...} form {@code d} independent chains, each rolled the same way. An edge
     * strip reads its rows from {@code buf} (zero margins: {@link #bufferFloats} floats, zero outside the
     * copied columns).
     */
    static void strip3x3(DepthwisePlane p, DepthwiseColumns cols, int strip, float[] x, int xb, float[] buf,
                         float[] w, int wb, int[] tap, float bias, float[] out, int ob) {
        int v = strip * STRIP, dW = cols.dilation, srcH = p.srcH(), srcW = p.srcW(), outW = p.outW();
        int dH = p.dilationH(), outH = p.outH(), width = cols.width, pad = cols.pad;
        boolean edge = cols.edge[strip];
        int[] src = cols.source, starts = cols.starts;
        int s0 = src[v], s1 = src[v + 1], s2 = src[v + 2], s3 = src[v + 3];
        int o0 = starts[v], o1 = starts[v + 1], o2 = starts[v + 2], o3 = starts[v + 3];
        FloatVector w00 = weight(w, wb, tap, 0), w01 = weight(w, wb, tap, 1), w02 = weight(w, wb, tap, 2);
        FloatVector w10 = weight(w, wb, tap, 3), w11 = weight(w, wb, tap, 4), w12 = weight(w, wb, tap, 5);
        FloatVector w20 = weight(w, wb, tap, 6), w21 = weight(w, wb, tap, 7), w22 = weight(w, wb, tap, 8);
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        for (int chain = 0; chain < Math.min(dH, outH); chain++) {
            int rows = PlaneLayout.ceilDiv(outH - chain, dH), first = chain - p.top();
            // accumulators of the output rows that have seen one (p*) and two (r*) tap rows
            FloatVector p0 = b, p1 = b, p2 = b, p3 = b, r0 = b, r1 = b, r2 = b, r3 = b;
            for (int q0 = 0; q0 < rows + 2; q0 += ROW_BLOCK) {
              int q1 = Math.min(q0 + ROW_BLOCK, rows + 2);
              for (int q = q0; edge && q < q1; q++) {
                  copySource(cols, strip, x, xb, first + q * dH, srcH, srcW, buf, (q % SOURCE_SLOTS) * width);
              }
              for (int q = q0; q < q1; q++) { // source row q of the chain: tap row 0 of output q, 1 of q-1, 2 of q-2
                int sr = first + q * dH;
                FloatVector n0 = b, n1 = b, n2 = b, n3 = b;
                if (sr >= 0 && sr < srcH) {
                    float[] xs = x;
                    int base = xb + sr * srcW;
                    if (edge) {
                        xs = buf;
                        base = (q % SOURCE_SLOTS) * width + pad;
                    }
                    FloatVector a, c, e;
                    a = FloatVector.fromArray(SPECIES, xs, base + s0);
                    c = FloatVector.fromArray(SPECIES, xs, base + s0 + dW);
                    e = FloatVector.fromArray(SPECIES, xs, base + s0 + 2 * dW);
                    n0 = e.fma(w02, c.fma(w01, a.fma(w00, n0)));
                    p0 = e.fma(w12, c.fma(w11, a.fma(w10, p0)));
                    r0 = e.fma(w22, c.fma(w21, a.fma(w20, r0)));
                    a = FloatVector.fromArray(SPECIES, xs, base + s1);
                    c = FloatVector.fromArray(SPECIES, xs, base + s1 + dW);
                    e = FloatVector.fromArray(SPECIES, xs, base + s1 + 2 * dW);
                    n1 = e.fma(w02, c.fma(w01, a.fma(w00, n1)));
                    p1 = e.fma(w12, c.fma(w11, a.fma(w10, p1)));
                    r1 = e.fma(w22, c.fma(w21, a.fma(w20, r1)));
                    a = FloatVector.fromArray(SPECIES, xs, base + s2);
                    c = FloatVector.fromArray(SPECIES, xs, base + s2 + dW);
                    e = FloatVector.fromArray(SPECIES, xs, base + s2 + 2 * dW);
                    n2 = e.fma(w02, c.fma(w01, a.fma(w00, n2)));
                    p2 = e.fma(w12, c.fma(w11, a.fma(w10, p2)));
                    r2 = e.fma(w22, c.fma(w21, a.fma(w20, r2)));
                    a = FloatVector.fromArray(SPECIES, xs, base + s3);
                    c = FloatVector.fromArray(SPECIES, xs, base + s3 + dW);
                    e = FloatVector.fromArray(SPECIES, xs, base + s3 + 2 * dW);
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
    }

    /**
     * {@link #strip3x3} for any kernel size, one output row at a time: 4 accumulators, each tap
     * {@code (i, j)} of a source row inside the plane is one broadcast weight and 4 masked loads (the
     * lanes outside the source row read zero).
     */
    static void stripTaps(DepthwisePlane p, DepthwiseColumns cols, int strip, float[] x, int xb, float[] w, int wb,
                          int[] tap, float bias, float[] out, int ob) {
        int v = strip * STRIP, dW = cols.dilation, srcH = p.srcH(), srcW = p.srcW(), outW = p.outW(), s = p.s();
        int[] src = cols.source, starts = cols.starts;
        long[] mask = cols.mask;
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
     * Strip {@code strip} of one image of a 3x3 weight gradient, {@link DepthwiseColumns#disjoint disjoint}
     * columns: {@code acc[t*LANES ..] += dy[db + oh*outW + start ..] * x[xb + sourceRow(oh, i)*srcW + source + j*dilation ..]}
     * lane-wise for the taps {@code t = i*3 + j}. Rolls down the source rows like {@link #strip3x3}: the
     * 3 shifted vectors of a source row are loaded once and meet the gradient rows of the three output
     * rows that use them. Vectors 0, 2 and 1, 3 sum into two sets of 9 accumulators (added at the end)
     * so that no FMA chain is more than two deep per row. A strip with a partial vector reads the
     * gradient rows from zero-tailed copies in {@code buf} (after the source slots).
     */
    static void gradStrip3x3(DepthwisePlane p, DepthwiseColumns cols, int strip, float[] x, int xb, float[] dy,
                             int db, float[] buf, float[] acc) {
        int v = strip * STRIP, dW = cols.dilation, srcH = p.srcH(), srcW = p.srcW(), outW = p.outW();
        int dH = p.dilationH(), outH = p.outH(), width = cols.width, pad = cols.pad, outWidth = cols.outWidth;
        int yb = SOURCE_SLOTS * width; // gradient slots
        int zeroRow = yb + GRADIENT_SLOTS * outWidth; // a gradient row that is never written: rows outside the plane
        boolean edge = cols.edge[strip];
        int[] src = cols.source, starts = cols.starts;
        int s0 = src[v], s1 = src[v + 1], s2 = src[v + 2], s3 = src[v + 3];
        int o0 = starts[v], o1 = starts[v + 1], o2 = starts[v + 2], o3 = starts[v + 3];
        FloatVector a00 = FloatVector.fromArray(SPECIES, acc, 0), a01 = FloatVector.fromArray(SPECIES, acc, LANES);
        FloatVector a02 = FloatVector.fromArray(SPECIES, acc, 2 * LANES), a10 = FloatVector.fromArray(SPECIES, acc, 3 * LANES);
        FloatVector a11 = FloatVector.fromArray(SPECIES, acc, 4 * LANES), a12 = FloatVector.fromArray(SPECIES, acc, 5 * LANES);
        FloatVector a20 = FloatVector.fromArray(SPECIES, acc, 6 * LANES), a21 = FloatVector.fromArray(SPECIES, acc, 7 * LANES);
        FloatVector a22 = FloatVector.fromArray(SPECIES, acc, 8 * LANES);
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector b00 = z, b01 = z, b02 = z, b10 = z, b11 = z, b12 = z, b20 = z, b21 = z, b22 = z;
        for (int chain = 0; chain < Math.min(dH, outH); chain++) {
            int rows = PlaneLayout.ceilDiv(outH - chain, dH), first = chain - p.top();
            for (int q0 = 0; q0 < rows + 2; q0 += ROW_BLOCK) {
              int q1 = Math.min(q0 + ROW_BLOCK, rows + 2);
              for (int q = q0; q < q1; q++) {
                  if (edge) {
                      copySource(cols, strip, x, xb, first + q * dH, srcH, srcW, buf, (q % SOURCE_SLOTS) * width);
                  }
                  if (q < rows) {
                      cols.copyOwned(strip, dy, db + (chain + q * dH) * outW, buf, yb + (q % GRADIENT_SLOTS) * outWidth);
                  }
              }
              for (int q = q0; q < q1; q++) { // source row q of the chain: tap row i of output row q - i
                int sr = first + q * dH;
                if (sr < 0 || sr >= srcH) {
                    continue;
                }
                float[] xs = x;
                int base = xb + sr * srcW;
                if (edge) {
                    xs = buf;
                    base = (q % SOURCE_SLOTS) * width + pad;
                }
                // the gradient rows of the output rows q, q-1, q-2 (a zero row past the chain's ends: no branch per FMA)
                int d0 = q < rows ? yb + (q % GRADIENT_SLOTS) * outWidth : zeroRow;
                int d1 = q >= 1 && q - 1 < rows ? yb + ((q - 1) % GRADIENT_SLOTS) * outWidth : zeroRow;
                int d2 = q >= 2 ? yb + ((q - 2) % GRADIENT_SLOTS) * outWidth : zeroRow;
                FloatVector a, c, e, y;
                a = FloatVector.fromArray(SPECIES, xs, base + s0);
                c = FloatVector.fromArray(SPECIES, xs, base + s0 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s0 + 2 * dW);
                y = FloatVector.fromArray(SPECIES, buf, d0 + o0);
                a00 = y.fma(a, a00);
                a01 = y.fma(c, a01);
                a02 = y.fma(e, a02);
                y = FloatVector.fromArray(SPECIES, buf, d1 + o0);
                a10 = y.fma(a, a10);
                a11 = y.fma(c, a11);
                a12 = y.fma(e, a12);
                y = FloatVector.fromArray(SPECIES, buf, d2 + o0);
                a20 = y.fma(a, a20);
                a21 = y.fma(c, a21);
                a22 = y.fma(e, a22);
                a = FloatVector.fromArray(SPECIES, xs, base + s1);
                c = FloatVector.fromArray(SPECIES, xs, base + s1 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s1 + 2 * dW);
                y = FloatVector.fromArray(SPECIES, buf, d0 + o1);
                b00 = y.fma(a, b00);
                b01 = y.fma(c, b01);
                b02 = y.fma(e, b02);
                y = FloatVector.fromArray(SPECIES, buf, d1 + o1);
                b10 = y.fma(a, b10);
                b11 = y.fma(c, b11);
                b12 = y.fma(e, b12);
                y = FloatVector.fromArray(SPECIES, buf, d2 + o1);
                b20 = y.fma(a, b20);
                b21 = y.fma(c, b21);
                b22 = y.fma(e, b22);
                a = FloatVector.fromArray(SPECIES, xs, base + s2);
                c = FloatVector.fromArray(SPECIES, xs, base + s2 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s2 + 2 * dW);
                y = FloatVector.fromArray(SPECIES, buf, d0 + o2);
                a00 = y.fma(a, a00);
                a01 = y.fma(c, a01);
                a02 = y.fma(e, a02);
                y = FloatVector.fromArray(SPECIES, buf, d1 + o2);
                a10 = y.fma(a, a10);
                a11 = y.fma(c, a11);
                a12 = y.fma(e, a12);
                y = FloatVector.fromArray(SPECIES, buf, d2 + o2);
                a20 = y.fma(a, a20);
                a21 = y.fma(c, a21);
                a22 = y.fma(e, a22);
                a = FloatVector.fromArray(SPECIES, xs, base + s3);
                c = FloatVector.fromArray(SPECIES, xs, base + s3 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s3 + 2 * dW);
                y = FloatVector.fromArray(SPECIES, buf, d0 + o3);
                b00 = y.fma(a, b00);
                b01 = y.fma(c, b01);
                b02 = y.fma(e, b02);
                y = FloatVector.fromArray(SPECIES, buf, d1 + o3);
                b10 = y.fma(a, b10);
                b11 = y.fma(c, b11);
                b12 = y.fma(e, b12);
                y = FloatVector.fromArray(SPECIES, buf, d2 + o3);
                b20 = y.fma(a, b20);
                b21 = y.fma(c, b21);
                b22 = y.fma(e, b22);
              }
            }
        }
        a00.add(b00).intoArray(acc, 0);
        a01.add(b01).intoArray(acc, LANES);
        a02.add(b02).intoArray(acc, 2 * LANES);
        a10.add(b10).intoArray(acc, 3 * LANES);
        a11.add(b11).intoArray(acc, 4 * LANES);
        a12.add(b12).intoArray(acc, 5 * LANES);
        a20.add(b20).intoArray(acc, 6 * LANES);
        a21.add(b21).intoArray(acc, 7 * LANES);
        a22.add(b22).intoArray(acc, 8 * LANES);
    }

    /**
     * One image of a weight gradient for any kernel size, {@link DepthwiseColumns#disjoint disjoint}
     * columns: {@code acc[t*LANES ..] += dy[..] * x[..]} lane-wise for every tap {@code t = i*S + j}, with
     * masked loads (gradient lanes of other vectors and source lanes outside the row read zero); the
     * lane-wise sums live in {@code acc} (L1), one load and store per tap and vector.
     */
    static void gradTaps(DepthwisePlane p, DepthwiseColumns cols, float[] x, int xb, float[] dy, int db, float[] acc) {
        int dW = cols.dilation, srcH = p.srcH(), srcW = p.srcW(), outW = p.outW(), s = p.s();
        int[] src = cols.source, starts = cols.starts;
        long[] mask = cols.mask, owned = cols.owned;
        for (int oh = 0; oh < p.outH(); oh++) {
            for (int v = 0; v < cols.vectors(); v++) {
                if (owned[v] == 0L) {
                    continue;
                }
                FloatVector y = FloatVector.fromArray(SPECIES, dy, db + oh * outW + starts[v],
                        VectorMask.fromLong(SPECIES, owned[v]));
                for (int i = 0; i < p.r(); i++) {
                    int sr = p.sourceRow(oh, i);
                    if (sr < 0 || sr >= srcH) {
                        continue;
                    }
                    int base = xb + sr * srcW + src[v];
                    for (int j = 0; j < s; j++) {
                        int a = (i * s + j) * LANES;
                        FloatVector xv = FloatVector.fromArray(SPECIES, x, base + j * dW,
                                VectorMask.fromLong(SPECIES, mask[v * s + j]));
                        y.fma(xv, FloatVector.fromArray(SPECIES, acc, a)).intoArray(acc, a);
                    }
                }
            }
        }
    }

    /** Copies source row {@code sr} (if inside the plane) into the row buffer slot at {@code to}. */
    private static void copySource(DepthwiseColumns cols, int strip, float[] x, int xb, int sr, int srcH, int srcW,
                                   float[] buf, int to) {
        if (sr >= 0 && sr < srcH) {
            cols.copySource(strip, x, xb + sr * srcW, buf, to);
        }
    }

    private static FloatVector weight(float[] w, int wb, int[] tap, int t) {
        return FloatVector.broadcast(SPECIES, w[wb + tap[t]]);
    }
}
