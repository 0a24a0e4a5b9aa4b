package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * How the depthwise kernels cut an output row into vectors, grouped in strips of {@link #STRIP}, and
 * where each vector's taps read the unpadded source row: for vector {@code v} and tap column {@code j}
 * the source vector starts at column {@code source[v] + j*dilation}.
 *
 * <p>Padding is never materialised as a plane. A strip whose source vectors all lie inside the source
 * row reads the NCHW row in place; an <em>edge</em> strip reads a copy of the columns it needs in a
 * zero-margined row buffer ({@link #pad}, {@link #width}: L1-sized, copied once per source row). The
 * generic kernels use masked loads instead ({@link #mask}: the lanes inside the source row), which are
 * cheap in C2 but too big for C1 in the unrolled 3x3 kernels (see {@link DepthwiseKernels}).
 */
final class DepthwiseColumns {
    /**
     * Vectors per strip: 4 x 3 accumulators and 9 weights fit the 32 vector registers, and a source row
     * loaded once feeds 36 FMAs. Strips of 2 took 1.4x the time on the 56-wide plane.
     */
    static final int STRIP = 4;

    /** Output column of each vector. */
    final int[] starts;
    /** Source column of each vector's tap column 0 ({@code start - left}, may be negative). */
    final int[] source;
    /** Lane bits of the source vector of {@code (vector v, tap column j)} at {@code [v*taps + j]} inside the source row (and owned). */
    final long[] mask;
    /** Lane bits of each vector's output columns that belong to it (all lanes, but for disjoint columns' last partial and spare vectors). */
    final long[] owned;
    final int taps;
    final int dilation;
    /** Per strip: whether a source vector reaches outside the source row (the strip reads a row buffer). */
    final boolean[] edge;
    /** Per strip: the source columns {@code [lo, hi)} it reads, clipped to the row: what an edge strip copies. */
    final int[] lo;
    final int[] hi;
    /** Index in a row buffer of source column 0 (the widest left margin). */
    final int pad;
    /** Floats per row buffer: the margins and the row. */
    final int width;

    private DepthwiseColumns(int[] starts, long[] owned, int srcW, int taps, int dilation, int left) {
        this.starts = starts;
        this.owned = owned;
        this.taps = taps;
        this.dilation = dilation;
        int vectors = starts.length, strips = vectors / STRIP, span = (taps - 1) * dilation + LANES;
        source = new int[vectors];
        mask = new long[vectors * taps];
        for (int v = 0; v < vectors; v++) {
            source[v] = starts[v] - left;
            for (int j = 0; j < taps; j++) {
                int first = source[v] + j * dilation; // source column of lane 0
                mask[v * taps + j] = lanes(-first, srcW - first) & owned[v];
            }
        }
        edge = new boolean[strips];
        lo = new int[strips];
        hi = new int[strips];
        int margin = 0, end = srcW;
        for (int s = 0; s < strips; s++) {
            int from = Integer.MAX_VALUE, to = Integer.MIN_VALUE;
            for (int v = s * STRIP; v < (s + 1) * STRIP; v++) {
                from = Math.min(from, source[v]);
                to = Math.max(to, source[v] + span);
            }
            edge[s] = from < 0 || to > srcW;
            lo[s] = Math.max(0, from);
            hi[s] = Math.min(srcW, to);
            margin = Math.max(margin, -from);
            end = Math.max(end, to);
        }
        pad = margin;
        width = margin + end;
    }

    /**
     * Vectors covering {@code outW >= LANES} columns in strips of {@link #STRIP}; the last vector is
     * shifted back to end at the row's end and spare vectors of the last strip repeat it, so some
     * columns are computed twice (identically) and no store needs a mask.
     */
    static DepthwiseColumns overlapping(int outW, int srcW, int taps, int dilation, int left) {
        if (outW < LANES) {
            throw new IllegalArgumentException("overlapping columns need outW >= " + LANES + ", got " + outW);
        }
        int vectors = PlaneLayout.ceilDiv(outW, LANES);
        int[] starts = new int[PlaneLayout.ceilDiv(vectors, STRIP) * STRIP];
        for (int v = 0; v < starts.length; v++) {
            starts[v] = Math.min(Math.min(v, vectors - 1) * LANES, outW - LANES);
        }
        long[] owned = new long[starts.length];
        Arrays.fill(owned, lanes(0, LANES));
        return new DepthwiseColumns(starts, owned, srcW, taps, dilation, left);
    }

    /**
     * Vectors at every multiple of {@code LANES}, the last one below {@code outW} partial, in strips of
     * {@link #STRIP}: each output column belongs to one vector, for sums over the row. Spare vectors of
     * the last strip lie past the row's end and own no column (a gradient row buffer is zero there).
     */
    static DepthwiseColumns disjoint(int outW, int srcW, int taps, int dilation, int left) {
        int[] starts = new int[PlaneLayout.ceilDiv(PlaneLayout.ceilDiv(outW, LANES), STRIP) * STRIP];
        long[] owned = new long[starts.length];
        for (int v = 0; v < starts.length; v++) {
            starts[v] = v * LANES;
            owned[v] = lanes(0, outW - starts[v]);
        }
        return new DepthwiseColumns(starts, owned, srcW, taps, dilation, left);
    }

    /** Bits of the lanes {@code l} with {@code from <= l < to}, clamped to {@code [0, LANES)}. */
    static long lanes(int from, int to) {
        long bits = 0;
        for (int l = Math.max(0, from); l < Math.min(LANES, to); l++) {
            bits |= 1L << l;
        }
        return bits;
    }

    int vectors() {
        return starts.length;
    }

    int strips() {
        return starts.length / STRIP;
    }

    /** Copies the source columns strip {@code s} reads from the row at {@code from} into the row buffer at {@code to} (its column 0 at {@code to + pad}). */
    void copySource(int s, float[] x, int from, float[] buf, int to) {
        copy(x, from + lo[s], buf, to + pad + lo[s], hi[s] - lo[s]);
    }

    /** {@code System.arraycopy} inline for rows of at least one vector (the last vector shifted back): a stub call per row cost as much as the copy. */
    private static void copy(float[] a, int from, float[] b, int to, int n) {
        if (n < LANES) {
            System.arraycopy(a, from, b, to, n);
            return;
        }
        for (int i = 0; i < n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, a, from + i).intoArray(b, to + i);
        }
        FloatVector.fromArray(SPECIES, a, from + n - LANES).intoArray(b, to + n - LANES);
    }
}
