package org.conv4j.im2col;

/**
 * The register-blocked inner kernel of {@link Gemm}: {@code C[0..rows, 0..nc] += Ap · Bp} for one
 * packed sliver of A ({@link PackedA#MR} rows) against one packed panel of B.
 *
 * <p>Plain Java written for C2's SuperWord auto-vectorizer. Each C row and each B row is its own
 * {@code float[]} and every access in the inner loop is {@code row[j]} with the same index: with
 * one shared array and different row offsets C2 cannot prove the rows independent and emits scalar
 * code (measured: ~10 GFLOP/s), with separate arrays it emits AVX-512 FMAs (~50-75 GFLOP/s).
 * The loop over j then runs {@link #K_UNROLL} k-steps for {@link PackedA#MR} rows at once, so one
 * pass over C loads and stores each C element once per 4 multiply-adds and each B element is
 * loaded once for 4 rows: 16 broadcast A values + 4 B + 4 C vectors fit the 32 vector registers.
 */
final class MicroKernel {
    /** k-steps fused per pass over the C rows; 4 keeps the 16 broadcast A values in registers. */
    static final int K_UNROLL = 4;

    private MicroKernel() {
    }

    /**
     * Four C rows: {@code ci[j] += sum_p a[aOff + p*4 + i] * b[p][j]} for p in [0, kc), j in [0, nc).
     */
    static void rows4(int kc, int nc, float[] a, int aOff, float[][] b,
                      float[] c0, float[] c1, float[] c2, float[] c3) {
        int p = 0;
        for (; p + K_UNROLL <= kc; p += K_UNROLL) {
            int o = aOff + p * 4;
            float a00 = a[o], a10 = a[o + 1], a20 = a[o + 2], a30 = a[o + 3];
            float a01 = a[o + 4], a11 = a[o + 5], a21 = a[o + 6], a31 = a[o + 7];
            float a02 = a[o + 8], a12 = a[o + 9], a22 = a[o + 10], a32 = a[o + 11];
            float a03 = a[o + 12], a13 = a[o + 13], a23 = a[o + 14], a33 = a[o + 15];
            float[] x0 = b[p], x1 = b[p + 1], x2 = b[p + 2], x3 = b[p + 3];
            for (int j = 0; j < nc; j++) {
                float y0 = x0[j], y1 = x1[j], y2 = x2[j], y3 = x3[j];
                c0[j] = Math.fma(a03, y3, Math.fma(a02, y2, Math.fma(a01, y1, Math.fma(a00, y0, c0[j]))));
                c1[j] = Math.fma(a13, y3, Math.fma(a12, y2, Math.fma(a11, y1, Math.fma(a10, y0, c1[j]))));
                c2[j] = Math.fma(a23, y3, Math.fma(a22, y2, Math.fma(a21, y1, Math.fma(a20, y0, c2[j]))));
                c3[j] = Math.fma(a33, y3, Math.fma(a32, y2, Math.fma(a31, y1, Math.fma(a30, y0, c3[j]))));
            }
        }
        for (; p < kc; p++) {
            int o = aOff + p * 4;
            float a0 = a[o], a1 = a[o + 1], a2 = a[o + 2], a3 = a[o + 3];
            float[] x = b[p];
            for (int j = 0; j < nc; j++) {
                float y = x[j];
                c0[j] = Math.fma(a0, y, c0[j]);
                c1[j] = Math.fma(a1, y, c1[j]);
                c2[j] = Math.fma(a2, y, c2[j]);
                c3[j] = Math.fma(a3, y, c3[j]);
            }
        }
    }

    /**
     * One C row, for the rows left over when M is not a multiple of {@link PackedA#MR}:
     * {@code c[j] += sum_p a[aOff + p*stride] * b[p][j]}. Same k-order as {@link #rows4}, so a row
     * gets the same rounding whichever kernel computed it.
     */
    static void row1(int kc, int nc, float[] a, int aOff, int stride, float[][] b, float[] c) {
        int p = 0;
        for (; p + K_UNROLL <= kc; p += K_UNROLL) {
            int o = aOff + p * stride;
            float a0 = a[o], a1 = a[o + stride], a2 = a[o + 2 * stride], a3 = a[o + 3 * stride];
            float[] x0 = b[p], x1 = b[p + 1], x2 = b[p + 2], x3 = b[p + 3];
            for (int j = 0; j < nc; j++) {
                c[j] = Math.fma(a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], c[j]))));
            }
        }
        for (; p < kc; p++) {
            float a0 = a[aOff + p * stride];
            float[] x = b[p];
            for (int j = 0; j < nc; j++) {
                c[j] = Math.fma(a0, x[j], c[j]);
            }
        }
    }
}
