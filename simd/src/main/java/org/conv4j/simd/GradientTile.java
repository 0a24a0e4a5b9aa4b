package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;

/**
 * The register tile of a weight-gradient kernel with the positions along the vectors: {@code rows}
 * output channels x {@code cols} (input channel, tap) columns of vector partial sums
 * ({@link MicroKernels#grad4x6}, {@link MicroKernels#grad6x4}, {@link MicroKernels#grad1x6}).
 */
record GradientTile(int rows, int cols) {
    /** The tile that wastes the least on {@code outputs x columns} weights: 4x6 or 6x4; 1x6 below 4 outputs (depthwise). */
    static GradientTile choose(int outputs, int columns) {
        if (outputs < 4) {
            return new GradientTile(1, 6);
        }
        long computed46 = (long) roundUp(outputs, 4) * roundUp(columns, 6);
        long computed64 = (long) roundUp(outputs, 6) * roundUp(columns, 4);
        return computed64 < computed46 ? new GradientTile(6, 4) : new GradientTile(4, 6);
    }

    /** Floats of the tile's vector partial sums. */
    int floats() {
        return rows * cols * LANES;
    }

    /**
     * Adds {@code length} floats per row over {@code rows} rows into the partial sums at {@code acc[ab..]}:
     * row {@code m} of the output gradient starts at {@code dy[db + m*dyStride]}, column {@code j} of the
     * input at {@code x[xb + cols[col0 + j]]}; successive rows advance by {@code dyRowStride} and {@code xRowStride}.
     */
    void accumulate(float[] dy, int db, int dyStride, float[] x, int xb, int[] colOff, int col0, int length, int rowCount,
                    int dyRowStride, int xRowStride, float[] acc, int ab) {
        if (rows == 1) {
            for (int row = 0; row < rowCount; row++) {
                MicroKernels.grad1x6(dy, db + row * dyRowStride, x, xb + row * xRowStride, colOff, col0, length, acc, ab);
            }
        } else if (rows == 4) {
            MicroKernels.grad4x6(dy, db, dyStride, x, xb, colOff, col0, length, rowCount, dyRowStride, xRowStride, acc, ab);
        } else {
            MicroKernels.grad6x4(dy, db, dyStride, x, xb, colOff, col0, length, rowCount, dyRowStride, xRowStride, acc, ab);
        }
    }

    /** Lane sum of partial sum {@code (m, j)} of the tile at {@code acc[ab..]}. */
    float sum(float[] acc, int ab, int m, int j) {
        return MicroKernels.sumLanes(acc, ab + (m * cols + j) * LANES);
    }

    private static int roundUp(int v, int multiple) {
        return PlaneLayout.ceilDiv(v, multiple) * multiple;
    }
}
