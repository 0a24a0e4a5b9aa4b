package org.conv4j.simd;

/**
 * One channel of a stride-1 depthwise convolution as the kernels see it: an {@code outH x outW}
 * output plane whose pixel {@code (oh, ow)} meets, at tap {@code (i, j)}, source pixel
 * {@code (oh - top + i*dilationH, ow - left + j*dilationW)} of an unpadded {@code srcH x srcW} plane
 * (zero outside it). Columns are described by {@link DepthwiseColumns}.
 */
record DepthwisePlane(int srcH, int srcW, int outH, int outW, int top, int left, int r, int s, int dilationH,
                      int dilationW) {

    DepthwisePlane {
        if (srcH < 1 || srcW < 1 || outH < 1 || outW < 1 || r < 1 || s < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("depthwise plane: sizes, taps and dilations must be positive, got source "
                    + srcH + "x" + srcW + ", output " + outH + "x" + outW + ", taps " + r + "x" + s + ", dilation "
                    + dilationH + "x" + dilationW);
        }
    }

    int taps() {
        return r * s;
    }

    int srcPlane() {
        return srcH * srcW;
    }

    int outPlane() {
        return outH * outW;
    }

    /** The source row that output row {@code oh} meets at tap row {@code i} (may lie outside {@code [0, srcH)}: padding). */
    int sourceRow(int oh, int i) {
        return oh - top + i * dilationH;
    }

    /** Forward-style columns (overlapping vectors, no masked stores). */
    DepthwiseColumns overlappingColumns() {
        return DepthwiseColumns.overlapping(outW, srcW, s, dilationW, left);
    }

    /** Columns where each output column belongs to one vector (for sums over positions). */
    DepthwiseColumns disjointColumns() {
        return DepthwiseColumns.disjoint(outW, srcW, s, dilationW, left);
    }
}
