package org.conv4j.im2col;

/**
 * A block of {@code op(A)} ({@code mc x kc}, at most {@link Gemm#MC} x {@link Gemm#KC}) copied into
 * slivers of {@link #MR} rows, each stored k-major ({@code sliver[p*MR + i]}), scaled by alpha. The
 * micro-kernel then reads its A values in order whatever A's layout or transposition was, and rows
 * past the edge of A are zeros.
 */
final class PackedA {
    /** Rows per sliver: the micro-kernel's register block height (see {@link MicroKernel}). */
    static final int MR = 4;

    final float[] data = new float[Gemm.MC * Gemm.KC];

    /**
     * Packs {@code alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc]} where
     * {@code op(A)(i, p) = transA ? a[off + p*lda + i] : a[off + i*lda + p]}.
     */
    void pack(float[] a, int off, int lda, boolean transA, int i0, int mc, int p0, int kc, float alpha) {
        float[] d = data;
        for (int s = 0; s < mc; s += MR) {
            int rows = Math.min(MR, mc - s);
            int base = s * kc; // sliver s/MR starts at (s/MR)*MR*kc
            for (int i = 0; i < MR; i++) {
                if (i >= rows) {
                    for (int p = 0; p < kc; p++) {
                        d[base + p * MR + i] = 0f;
                    }
                } else if (transA) {
                    int src = off + p0 * lda + (i0 + s + i);
                    for (int p = 0; p < kc; p++) {
                        d[base + p * MR + i] = alpha * a[src + p * lda];
                    }
                } else {
                    int src = off + (i0 + s + i) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        d[base + p * MR + i] = alpha * a[src + p];
                    }
                }
            }
        }
    }

    /** Offset of the sliver holding rows {@code [s, s+MR)} of the block (s a multiple of MR). */
    static int sliverOffset(int s, int kc) {
        return s * kc;
    }
}
