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
 * <p>The 3x3 kernels read source rows with plain loads (only the gradient rows are masked, 4 masks).
 * Masked source loads are fast in C2, but unrolled 12 times they made the forward kernel too big for
 * C1: its tier-3 compile failed ("out of virtual registers"), and a kernel first compiled at tier 2
 * then stayed there, 40x slower. Unrolled into named locals on purpose: C2 keeps those in registers.
 */
final class DepthwiseKernels {
    /**
     * Source rows of an edge strip the 3x3 kernels copy at once.
     * The copies are calls (C2 does not inline them into kernels this size), and every vector register is
     * caller-saved: a copy per row inside the FMA loop spilled all accumulators every row. The next
     * block is copied before the current one is read, so the copies' stores have drained before their
     * (unaligned, so never store-forwarded) loads come.
     */
    static final int ROW_BLOCK = 8;
    /** Row buffer slots of the 3x3 kernels: two blocks, the one being read and the next one being copied. */
    static final int SOURCE_SLOTS = 2 * ROW_BLOCK;

    private DepthwiseKernels() {
    }

    /** Floats of the row buffer the 3x3 kernels need for {@code cols}: the source row slots and a zero row. */
    static int bufferFloats(DepthwiseColumns cols) {
        return (SOURCE_SLOTS + 1) * cols.width;
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
            if (edge) {
                copySources(cols, strip, x, xb, first, dH, srcH, srcW, buf, 0, Math.min(ROW_BLOCK, rows + 2));
            }
            for (int q0 = 0; q0 < rows + 2; q0 += ROW_BLOCK) {
              int q1 = Math.min(q0 + ROW_BLOCK, rows + 2);
              if (edge && q1 < rows + 2) { // the next block, while this one's copies drain
                  copySources(cols, strip, x, xb, first, dH, srcH, srcW, buf, q1, Math.min(q1 + ROW_BLOCK, rows + 2));
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
     * rows that use it, which stay in registers (3 rows x 4 vectors, each loaded once, masked by the
     * lanes the vector owns: 4 loop-invariant masks keep the kernel within C1's limits) next to the 9
     * lane-wise sums. A source row outside the plane reads a zero row of {@code buf} instead of a branch
     * around the FMAs (which cost 2.4x: C2 merged the 21 live vectors at the join).
     */
    static void gradStrip3x3(DepthwisePlane p, DepthwiseColumns cols, int strip, float[] x, int xb, float[] dy,
                             int db, float[] buf, float[] acc) {
        int v = strip * STRIP, dW = cols.dilation, srcH = p.srcH(), srcW = p.srcW(), outW = p.outW();
        int dH = p.dilationH(), outH = p.outH(), width = cols.width, pad = cols.pad;
        int zeroRow = SOURCE_SLOTS * width + pad; // column 0 of a source row that is never written
        boolean edge = cols.edge[strip];
        int[] src = cols.source, starts = cols.starts;
        int s0 = src[v], s1 = src[v + 1], s2 = src[v + 2], s3 = src[v + 3];
        int o0 = starts[v], o1 = starts[v + 1], o2 = starts[v + 2], o3 = starts[v + 3];
        long[] owned = cols.owned;
        VectorMask<Float> m0 = VectorMask.fromLong(SPECIES, owned[v]), m1 = VectorMask.fromLong(SPECIES, owned[v + 1]);
        VectorMask<Float> m2 = VectorMask.fromLong(SPECIES, owned[v + 2]), m3 = VectorMask.fromLong(SPECIES, owned[v + 3]);
        FloatVector a00 = FloatVector.fromArray(SPECIES, acc, 0), a01 = FloatVector.fromArray(SPECIES, acc, LANES);
        FloatVector a02 = FloatVector.fromArray(SPECIES, acc, 2 * LANES), a10 = FloatVector.fromArray(SPECIES, acc, 3 * LANES);
        FloatVector a11 = FloatVector.fromArray(SPECIES, acc, 4 * LANES), a12 = FloatVector.fromArray(SPECIES, acc, 5 * LANES);
        FloatVector a20 = FloatVector.fromArray(SPECIES, acc, 6 * LANES), a21 = FloatVector.fromArray(SPECIES, acc, 7 * LANES);
        FloatVector a22 = FloatVector.fromArray(SPECIES, acc, 8 * LANES);
        FloatVector z = FloatVector.zero(SPECIES);
        for (int chain = 0; chain < Math.min(dH, outH); chain++) {
            int rows = PlaneLayout.ceilDiv(outH - chain, dH), first = chain - p.top();
            // the gradient rows of output rows q (y0*), q-1 (y1*) and q-2 (y2*): zero outside the chain
            FloatVector y00 = z, y01 = z, y02 = z, y03 = z, y10 = z, y11 = z, y12 = z, y13 = z;
            FloatVector y20 = z, y21 = z, y22 = z, y23 = z;
            if (edge) {
                copySources(cols, strip, x, xb, first, dH, srcH, srcW, buf, 0, Math.min(ROW_BLOCK, rows + 2));
            }
            for (int q0 = 0; q0 < rows + 2; q0 += ROW_BLOCK) {
              int q1 = Math.min(q0 + ROW_BLOCK, rows + 2);
              if (edge && q1 < rows + 2) { // the next block, while this one's copies drain
                  copySources(cols, strip, x, xb, first, dH, srcH, srcW, buf, q1, Math.min(q1 + ROW_BLOCK, rows + 2));
              }
              for (int q = q0; q < q1; q++) { // source row q of the chain: tap row i of output row q - i
                y20 = y10;
                y21 = y11;
                y22 = y12;
                y23 = y13;
                y10 = y00;
                y11 = y01;
                y12 = y02;
                y13 = y03;
                if (q < rows) {
                    int d = db + (chain + q * dH) * outW;
                    y00 = FloatVector.fromArray(SPECIES, dy, d + o0, m0);
                    y01 = FloatVector.fromArray(SPECIES, dy, d + o1, m1);
                    y02 = FloatVector.fromArray(SPECIES, dy, d + o2, m2);
                    y03 = FloatVector.fromArray(SPECIES, dy, d + o3, m3);
                } else {
                    y00 = z;
                    y01 = z;
                    y02 = z;
                    y03 = z;
                }
                int sr = first + q * dH;
                boolean inside = sr >= 0 && sr < srcH;
                float[] xs = edge || !inside ? buf : x;
                int base = !inside ? zeroRow : edge ? (q % SOURCE_SLOTS) * width + pad : xb + sr * srcW;
                FloatVector a, c, e;
                a = FloatVector.fromArray(SPECIES, xs, base + s0);
                c = FloatVector.fromArray(SPECIES, xs, base + s0 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s0 + 2 * dW);
                a00 = y00.fma(a, a00);
                a01 = y00.fma(c, a01);
                a02 = y00.fma(e, a02);
                a10 = y10.fma(a, a10);
                a11 = y10.fma(c, a11);
                a12 = y10.fma(e, a12);
                a20 = y20.fma(a, a20);
                a21 = y20.fma(c, a21);
                a22 = y20.fma(e, a22);
                a = FloatVector.fromArray(SPECIES, xs, base + s1);
                c = FloatVector.fromArray(SPECIES, xs, base + s1 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s1 + 2 * dW);
                a00 = y01.fma(a, a00);
                a01 = y01.fma(c, a01);
                a02 = y01.fma(e, a02);
                a10 = y11.fma(a, a10);
                a11 = y11.fma(c, a11);
                a12 = y11.fma(e, a12);
                a20 = y21.fma(a, a20);
                a21 = y21.fma(c, a21);
                a22 = y21.fma(e, a22);
                a = FloatVector.fromArray(SPECIES, xs, base + s2);
                c = FloatVector.fromArray(SPECIES, xs, base + s2 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s2 + 2 * dW);
                a00 = y02.fma(a, a00);
                a01 = y02.fma(c, a01);
                a02 = y02.fma(e, a02);
                a10 = y12.fma(a, a10);
                a11 = y12.fma(c, a11);
                a12 = y12.fma(e, a12);
                a20 = y22.fma(a, a20);
                a21 = y22.fma(c, a21);
                a22 = y22.fma(e, a22);
                a = FloatVector.fromArray(SPECIES, xs, base + s3);
                c = FloatVector.fromArray(SPECIES, xs, base + s3 + dW);
                e = FloatVector.fromArray(SPECIES, xs, base + s3 + 2 * dW);
                a00 = y03.fma(a, a00);
                a01 = y03.fma(c, a01);
                a02 = y03.fma(e, a02);
                a10 = y13.fma(a, a10);
                a11 = y13.fma(c, a11);
                a12 = y13.fma(e, a12);
                a20 = y23.fma(a, a20);
                a21 = y23.fma(c, a21);
                a22 = y23.fma(e, a22);
              }
            }
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, LANES);
        a02.intoArray(acc, 2 * LANES);
        a10.intoArray(acc, 3 * LANES);
        a11.intoArray(acc, 4 * LANES);
        a12.intoArray(acc, 5 * LANES);
        a20.intoArray(acc, 6 * LANES);
        a21.intoArray(acc, 7 * LANES);
        a22.intoArray(acc, 8 * LANES);
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

    /** Copies the source rows {@code first + q*dH} for {@code q0 <= q < q1} that lie inside the plane into the row buffer's slot {@code q % SOURCE_SLOTS}. */
    private static void copySources(DepthwiseColumns cols, int strip, float[] x, int xb, int first, int dH, int srcH,
                                    int srcW, float[] buf, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            int sr = first + q * dH;
            if (sr >= 0 && sr < srcH) {
                cols.copySource(strip, x, xb + sr * srcW, buf, (q % SOURCE_SLOTS) * cols.width);
            }
        }
    }

    private static FloatVector weight(float[] w, int wb, int[] tap, int t) {
        return FloatVector.broadcast(SPECIES, w[wb + tap[t]]);
    }
}
