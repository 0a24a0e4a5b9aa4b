package org.conv4j.im2col;

import org.conv4j.core.Parallel;

/**
 * Single-precision matrix multiplication {@code C = alpha·op(A)·op(B) + beta·C} on row-major
 * {@code float[]} with offsets and leading dimensions, in plain Java (no Vector API): the
 * GotoBLAS/BLIS structure of cache blocking along N, K and M ({@link #NC}, {@link #KC},
 * {@link #MC}), packing of A and B into contiguous panels ({@link PackedA}, {@link PackedB}) and a
 * register-blocked micro-kernel ({@link MicroKernel}) that C2 auto-vectorizes.
 *
 * <p>{@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}.
 * Element (i, j) of a row-major matrix with leading dimension {@code ld} at offset {@code off} is
 * {@code off + i*ld + j}; a transposed operand is stored as its transpose. Transposition is handled
 * by the packing, never by strided loads in the kernel. As in BLAS, {@code beta == 0} overwrites C
 * without reading it (NaNs already in C do not propagate).
 *
 * <p>Each element of C is accumulated over k in the same order (k-blocks of {@link #KC}, then
 * groups of four) whatever m, n, the operand offsets or the thread count, so results are
 * reproducible bit for bit. Thread-safe: packing buffers are per thread.
 */
public final class Gemm {
    /**
     * Depth of a packed panel. The kernel streams a {@code KC x NC} panel of B from L2 for every
     * sliver of A and copies its C rows in and out once per KC steps, so a deeper panel means less
     * C traffic; KC x NC = up to 960 KiB of packed B plus 256 KiB of packed A stay within the
     * 2 MiB L2 (measured with NC=768 at 1024^3: KC=128 ~58, KC=256 ~62 GFLOP/s, best of a noisy machine).
     */
    public static final int KC = 256;
    /**
     * Widest packed panel of B, and of the C rows the kernel sweeps. Long rows amortize the vector
     * loop's pre- and post-loops (kernel alone, KC=256: nc=196 ~44, 400 ~64, 784-960 ~80 GFLOP/s),
     * but from ~1000 floats on, rows about 4 KiB apart alias in L1 and it drops back to ~69; 960 x
     * 256 floats = 960 KiB of packed B stays within the 2 MiB L2 beside packed A.
     */
    public static final int NC = 960;
    /** Rows of A packed at once: 256 x 256 floats = 256 KiB, beside the B panel in L2. */
    public static final int MC = 256;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** One thread's packing buffers and C row tile, reused across calls (about 1.2 MiB). */
    private static final class Workspace {
        final PackedA a = new PackedA();
        final PackedB b = new PackedB();
        final float[][] cRows = new float[PackedA.MR][NC];
    }

    private Gemm() {
    }

    /** {@code C = alpha·op(A)·op(B) + beta·C} on the calling thread. */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                float beta, float[] c, int cOffset, int ldc) {
        validate(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        multiplyUnchecked(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} on up to {@code threads} threads, split into row blocks
     * of C ({@link #MC} rows each); the result is bit-identical to {@link #multiply} on one thread.
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                float beta, float[] c, int cOffset, int ldc, int threads) {
        validate(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        }
        int blocks = (m + MC - 1) / MC;
        Parallel.forEach(blocks, threads, blk -> {
            int i0 = blk * MC;
            int rows = Math.min(MC, m - i0);
            int aOff = transA ? aOffset + i0 : aOffset + i0 * lda;
            multiplyUnchecked(transA, transB, rows, n, k, alpha, a, aOff, lda, b, bOffset, ldb, beta,
                    c, cOffset + i0 * ldc, ldc);
        });
    }

    /** The blocked loops: N panels, K panels (pack B), M blocks (pack A), then slivers of MR rows. */
    static void multiplyUnchecked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                  float beta, float[] c, int cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        scale(m, n, beta, c, cOffset, ldc);
        if (k == 0 || alpha == 0f) {
            return;
        }
        Workspace ws = WORKSPACE.get();
        int panel = panelWidth(n);
        for (int j0 = 0; j0 < n; j0 += panel) {
            int nc = Math.min(panel, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                ws.b.pack(b, bOffset, ldb, transB, p0, kc, j0, nc);
                for (int i0 = 0; i0 < m; i0 += MC) {
                    int mc = Math.min(MC, m - i0);
                    ws.a.pack(a, aOffset, lda, transA, i0, mc, p0, kc, alpha);
                    macroKernel(ws, mc, nc, kc, c, cOffset + i0 * ldc + j0, ldc);
                }
            }
        }
    }

    /**
     * Width of the B panels for n columns: as many panels as NC requires, of equal width rounded up
     * to 16 floats, so n = 1024 runs as 2 x 512 rather than 960 + a slow, short 64.
     */
    static int panelWidth(int n) {
        int panels = (n + NC - 1) / NC;
        int width = (n + panels - 1) / panels;
        return Math.min(NC, PackedB.paddedWidth(width));
    }

    /**
     * {@code C[0..mc, 0..nc] += packed A · packed B}: each sliver of MR rows of C is copied into the
     * workspace's separate row arrays (what the kernel needs to vectorize), updated, copied back.
     * The kernel runs over the panel's padded width; the padding columns of B are zeros and the
     * matching tile columns are never copied back.
     */
    private static void macroKernel(Workspace ws, int mc, int nc, int kc, float[] c, int cOff, int ldc) {
        float[][] t = ws.cRows;
        float[] ap = ws.a.data;
        float[][] bp = ws.b.rows;
        int mr = PackedA.MR;
        int width = PackedB.paddedWidth(nc); // whole vectors: no scalar tail loop in the kernel
        for (int s = 0; s < mc; s += mr) {
            int rows = Math.min(mr, mc - s);
            int aOff = PackedA.sliverOffset(s, kc);
            int row0 = cOff + s * ldc;
            if (rows == mr) {
                for (int i = 0; i < mr; i++) {
                    System.arraycopy(c, row0 + i * ldc, t[i], 0, nc);
                }
                MicroKernel.rows4(kc, width, ap, aOff, bp, t[0], t[1], t[2], t[3]);
                for (int i = 0; i < mr; i++) {
                    System.arraycopy(t[i], 0, c, row0 + i * ldc, nc);
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(c, row0 + i * ldc, t[0], 0, nc);
                    MicroKernel.row1(kc, width, ap, aOff + i, mr, bp, t[0]);
                    System.arraycopy(t[0], 0, c, row0 + i * ldc, nc);
                }
            }
        }
    }

    private static void scale(int m, int n, float beta, float[] c, int cOffset, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOffset + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    private static void validate(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset,
                                 int lda, float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc) {
        nonNegative("m", m);
        nonNegative("n", n);
        nonNegative("k", k);
        operand("a", a, aOffset, lda, transA ? k : m, transA ? m : k);
        operand("b", b, bOffset, ldb, transB ? n : k, transB ? k : n);
        operand("c", c, cOffset, ldc, m, n);
    }

    private static void nonNegative(String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + ": expected >= 0, got " + v);
        }
    }

    /** Checks a stored {@code rows x cols} row-major operand fits its array. */
    private static void operand(String name, float[] x, int off, int ld, int rows, int cols) {
        if (x == null) {
            throw new IllegalArgumentException(name + ": expected an array, got null");
        }
        if (off < 0) {
            throw new IllegalArgumentException(name + "Offset: expected >= 0, got " + off);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("ld" + name + ": expected >= " + Math.max(1, cols)
                    + " (the stored row length), got " + ld);
        }
        if (rows > 0 && cols > 0) {
            long end = off + (long) (rows - 1) * ld + cols;
            if (end > x.length) {
                throw new IllegalArgumentException(name + ": expected at least " + end + " elements for a " + rows
                        + "x" + cols + " operand at offset " + off + " with leading dimension " + ld + ", got "
                        + x.length);
            }
        }
    }
}
