package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;

/**
 * How the depthwise kernels cut an output row into vectors and where each vector's taps read the
 * unpadded source row: for vector {@code v} and tap column {@code j}, the source vector starts at
 * column {@link #source}{@code [v] + j*dilation} of the source row and {@link #mask}{@code [v*taps + j]}
 * has the bits of the lanes that fall inside it (the others are padding: a masked load reads them as
 * zero). The padding is thus never materialised: the kernels read the NCHW rows in place.
 *
 * @param starts   output column of each vector
 * @param source   source column of each vector's tap column 0 ({@code start - left}, may be negative)
 * @param mask     lane bits of the source vector of {@code (vector, tap column)} that lie in the source row
 *                 (and, for the weight gradient, belong to this vector's output columns)
 * @param outMask  lane bits of each vector's output columns owned by it (all lanes, but for the weight
 *                 gradient's last partial vector)
 * @param taps     tap columns per vector in {@link #mask}
 * @param dilation columns between consecutive taps
 */
record DepthwiseColumns(int[] starts, int[] source, long[] mask, long[] outMask, int taps, int dilation) {
    /** Vectors per strip of the forward kernels: 4 x 3 accumulators, 12 masks and 9 weights fit the 32 registers. */
    static final int STRIP = 4;

    /**
     * Vectors covering {@code outW} columns (at least one vector) in strips of {@link #STRIP}; the last
     * vector is shifted back to end at the row's end and spare vectors of the last strip repeat it, so
     * some columns are computed twice (identically) and no store needs a mask.
     */
    static DepthwiseColumns overlapping(int outW, int srcW, int taps, int dilation, int left) {
        int vectors = PlaneLayout.ceilDiv(outW, LANES);
        int[] starts = new int[PlaneLayout.ceilDiv(vectors, STRIP) * STRIP];
        for (int v = 0; v < starts.length; v++) {
            starts[v] = Math.min(Math.min(v, vectors - 1) * LANES, outW - LANES);
        }
        return of(starts, outW, srcW, taps, dilation, left, false);
    }

    /** Vectors at every multiple of {@code LANES} below {@code outW}, the last one partial: each output column belongs to one vector (for sums over the row). */
    static DepthwiseColumns disjoint(int outW, int srcW, int taps, int dilation, int left) {
        int[] starts = new int[PlaneLayout.ceilDiv(outW, LANES)];
        for (int v = 0; v < starts.length; v++) {
            starts[v] = v * LANES;
        }
        return of(starts, outW, srcW, taps, dilation, left, true);
    }

    private static DepthwiseColumns of(int[] starts, int outW, int srcW, int taps, int dilation, int left,
                                       boolean ownedOnly) {
        int[] source = new int[starts.length];
        long[] mask = new long[starts.length * taps];
        long[] outMask = new long[starts.length];
        for (int v = 0; v < starts.length; v++) {
            source[v] = starts[v] - left;
            outMask[v] = ownedOnly ? lanes(0, outW - starts[v]) : lanes(0, LANES);
            for (int j = 0; j < taps; j++) {
                int first = source[v] + j * dilation; // source column of lane 0
                mask[v * taps + j] = lanes(-first, srcW - first) & outMask[v];
            }
        }
        return new DepthwiseColumns(starts, source, mask, outMask, taps, dilation);
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
}
