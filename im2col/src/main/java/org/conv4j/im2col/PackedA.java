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
            int base = sliverOffset(s, kc);
            if (transA) {
                // op(A)(i, p) = a[off + p*lda + i]: the MR values of one k are adjacent in A
                int src = off + p0 * lda + i0 + s;
                for (int p = 0; p < kc; p++, src += lda) {
                    int dst = base + p * MR;
                    for (int i = 0; i < MR; i++) {
                        d[dst + i] = i < rows ? alpha * a[src + i] : 0f;
                    }
                }
            } else if (rows == MR) {
                // four row streams of A written interleaved, so the packed sliver is written in order
                int r0 = off + (i0 + s) * lda + p0, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
                for (int p = 0, dst = base; p < kc; p++, dst += MR) {
                    d[dst] = alpha * a[r0 + p];
                    d[dst + 1] = alpha * a[r1 + p];
                    d[dst + 2] = alpha * a[r2 + p];
                    d[dst + 3] = alpha * a[r3 + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * MR;
                    for (int i = 0; i < MR; i++) {
                        d[dst + i] = i < rows ? alpha * a[off + (i0 + s + i) * lda + p0 + p] : 0f;
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
