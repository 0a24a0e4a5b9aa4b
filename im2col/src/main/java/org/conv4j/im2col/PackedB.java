package org.conv4j.im2col;

/**
 * A panel of {@code op(B)} ({@code kc x nc}, at most {@link Gemm#KC} x {@link Gemm#NC}) copied into
 * one {@code float[]} per k-row. Separate row arrays are what lets C2 vectorize the micro-kernel
 * (see {@link MicroKernel}); a transposed B is gathered here once, so the kernel never walks a
 * strided operand.
 */
final class PackedB {
    final float[][] rows = new float[Gemm.KC][Gemm.NC];

    /**
     * Packs {@code op(B)[p0 .. p0+kc, j0 .. j0+nc]} where
     * {@code op(B)(p, j) = transB ? b[off + j*ldb + p] : b[off + p*ldb + j]}.
     */
    void pack(float[] b, int off, int ldb, boolean transB, int p0, int kc, int j0, int nc) {
        int width = paddedWidth(nc);
        for (int p = 0; p < kc; p++) {
            java.util.Arrays.fill(rows[p], nc, width, 0f);
        }
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, off + (p0 + p) * ldb + j0, rows[p], 0, nc);
            }
            return;
        }
        // Transposed: walk B's rows (contiguous in p) and scatter across the packed rows, in
        // groups of TRANSPOSE_BLOCK columns so the packed rows being written stay in L1.
        for (int jb = 0; jb < nc; jb += TRANSPOSE_BLOCK) {
            int je = Math.min(nc, jb + TRANSPOSE_BLOCK);
            for (int p = 0; p < kc; p++) {
                float[] row = rows[p];
                int src = off + j0 * ldb + p0 + p;
                for (int j = jb; j < je; j++) {
                    row[j] = b[src + j * ldb];
                }
            }
        }
    }

    /**
     * {@code nc} rounded up to a whole number of 16-float (AVX-512) vectors, at most {@link Gemm#NC}:
     * the kernel sweeps this width so C2's vector loop needs no scalar tail (e.g. 196 -> 208).
     */
    static int paddedWidth(int nc) {
        return Math.min(Gemm.NC, (nc + VECTOR_FLOATS - 1) & -VECTOR_FLOATS);
    }

    /** Floats per 512-bit vector; NC is a multiple of it. */
    static final int VECTOR_FLOATS = 16;

    /** Columns gathered per sweep of a transposed B: 16 floats = one 64-byte cache line per packed row. */
    private static final int TRANSPOSE_BLOCK = 16;
}
