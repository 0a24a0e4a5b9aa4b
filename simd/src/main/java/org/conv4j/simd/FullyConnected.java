package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.MR;
import static org.conv4j.simd.MicroKernels.TILE;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Parallel;

/**
 * 1x1 kernels on 1x1 planes (a dense layer: {@code x [N][C]}, {@code w [K][C]}, {@code y [N][K]}) as
 * plain matrix products on the tensors as they are, with no plane machinery and almost no packing:
 * <ul>
 *   <li>forward {@code y[n][k] = x[n] . w[k]}: both operands are contiguous along the reduction, so
 *       a {@link GradientTile} (4 rows of x x 6 rows of w, or 6 x 4) sums lane-wise products over
 *       blocks of {@link #DOT_BLOCK} channels and reduces the lanes once per output;</li>
 *   <li>input gradient {@code dx[n][c] = sum over k of dy[n][k] w[k][c]} and weight gradient
 *       {@code dw[k][c] = sum over n of dy[n][k] x[n][c]}: {@link MicroKernels#gemm6x4} reads 4 vectors
 *       of a row of {@code w} (or {@code x}) per step straight from the tensor and broadcasts 6 packed
 *       values of {@code dy}, writing 6 x 64 results straight into {@code dx} (or {@code dw}).</li>
 * </ul>
 * Every output element is summed whole by one task in a fixed order: results do not depend on the
 * thread count.
 */
final class FullyConnected {
    /** Channels per reduction block of the forward pass: 4 rows of x and 6 of w, 256 floats each (10 KiB), stay in L1 while a task's tiles sweep them. */
    static final int DOT_BLOCK = 256;
    /** Row panels and column tiles per forward task: 16 rows of x (16 KiB per block) and 48 rows of w. */
    static final int DOT_PANELS_PER_TASK = 4, DOT_TILES_PER_TASK = 8;
    /** Row panels per task of the gradients: the 64-column strip of the other operand stays in L1 across them. */
    static final int PANELS_PER_TASK = 4;

    private FullyConnected() {
    }

    /** True for a 1x1 kernel on 1x1 planes with no padding and one group: a dense layer. */
    static boolean applies(ConvGeometry g) {
        var sp = g.spec();
        return g.h() == 1 && g.w() == 1 && g.r() == 1 && g.s() == 1 && g.groups() == 1
                && sp.padTop() == 0 && sp.padBottom() == 0 && sp.padLeft() == 0 && sp.padRight() == 0;
    }

    /** {@code y[n][k] = sum over c of x[n][c] w[k][c] (+ bias[k])}. */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int n = g.n(), c = g.c(), k = g.k();
        int threads = ConvEngines.threads();
        GradientTile tile = GradientTile.choose(n, k);
        int rows = tile.rows(), cols = tile.cols();
        int panels = PlaneLayout.ceilDiv(n, rows), colTiles = PlaneLayout.ceilDiv(k, cols);
        Workspace ws = Workspace.acquire();
        try {
            // The last panel's missing rows read zeros: x's partial panel is copied, zero-padded.
            int full = n / rows * rows;
            float[] tail = ws.input = Workspace.grow(ws.input, rows * c);
            Arrays.fill(tail, 0, rows * c, 0f);
            System.arraycopy(x, full * c, tail, 0, (n - full) * c);
            int[] colOff = new int[colTiles * cols]; // padding columns read w's row 0 and are dropped
            for (int j = 0; j < k; j++) {
                colOff[j] = j * c;
            }
            int vectorLength = c / LANES * LANES;
            int pTasks = PlaneLayout.ceilDiv(panels, DOT_PANELS_PER_TASK);
            int cTasks = PlaneLayout.ceilDiv(colTiles, DOT_TILES_PER_TASK);
            int tileFloats = tile.floats();
            Parallel.forEach(pTasks * cTasks, threads, task -> {
                int ct0 = task % cTasks * DOT_TILES_PER_TASK, p0 = task / cTasks * DOT_PANELS_PER_TASK;
                int ctN = Math.min(DOT_TILES_PER_TASK, colTiles - ct0), pN = Math.min(DOT_PANELS_PER_TASK, panels - p0);
                float[] acc = Workspace.task(Workspace.RESULTS, pN * ctN * tileFloats);
                Arrays.fill(acc, 0, pN * ctN * tileFloats, 0f);
                for (int b = 0; b < vectorLength; b += DOT_BLOCK) {
                    int len = Math.min(DOT_BLOCK, vectorLength - b);
                    for (int ct = 0; ct < ctN; ct++) {
                        for (int p = 0; p < pN; p++) {
                            int row = (p0 + p) * rows;
                            float[] a = row < full ? x : tail;
                            int ab = row < full ? row * c : 0;
                            tile.accumulate(a, ab + b, c, w, b, colOff, (ct0 + ct) * cols, len, 1, 0, 0, acc,
                                    (p * ctN + ct) * tileFloats);
                        }
                    }
                }
                for (int p = 0; p < pN; p++) {
                    for (int m = 0; m < rows && (p0 + p) * rows + m < n; m++) {
                        int i = (p0 + p) * rows + m;
                        for (int ct = 0; ct < ctN; ct++) {
                            for (int j = 0; j < cols && (ct0 + ct) * cols + j < k; j++) {
                                int o = (ct0 + ct) * cols + j;
                                float sum = tile.sum(acc, (p * ctN + ct) * tileFloats, m, j);
                                for (int q = vectorLength; q < c; q++) { // channels past the last full vector
                                    sum += x[i * c + q] * w[o * c + q];
                                }
                                y[i * k + o] = bias == null ? sum : sum + bias[o];
                            }
                        }
                    }
                }
            });
        } finally {
            ws.release();
        }
    }

    /** {@code dx[n][c] = sum over k of dy[n][k] w[k][c]}. */
    static void backwardInput(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        multiply(dy, 1, g.k(), g.n(), g.k(), w, g.c(), dx);
    }

    /** {@code dw[k][c] = sum over n of dy[n][k] x[n][c]} (the bias gradient is {@link WeightGradient}'s). */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        multiply(dy, g.k(), 1, g.k(), g.n(), x, g.c(), dw);
    }

    /**
     * {@code out[m][j] = sum over r < red of A(r, m) b[r][j]} for {@code m < rows, j < cols}, where
     * {@code A(r, m) = a[r*rStride + m*mStride]} and {@code b}, {@code out} have rows of {@code cols}
     * floats. {@code A} is packed into panels of {@link MicroKernels#MR} rows ({@code [panel][r][MR]},
     * zero past the last row); {@code b} is read in place, 64 columns at a time, except a last partial
     * strip, which is copied zero-padded.
     */
    private static void multiply(float[] a, int rStride, int mStride, int rows, int red, float[] b, int cols,
                                 float[] out) {
        int threads = ConvEngines.threads();
        int panels = PlaneLayout.ceilDiv(rows, MR);
        int strips = PlaneLayout.ceilDiv(cols, TILE);
        int fullStrips = cols / TILE;
        Workspace ws = Workspace.acquire();
        try {
            int panelSize = red * MR;
            float[] packed = ws.weights = Workspace.grow(ws.weights, panels * panelSize);
            Parallel.forEach(panels, threads, p -> {
                for (int r = 0; r < red; r++) {
                    for (int m = 0; m < MR; m++) {
                        int row = p * MR + m;
                        packed[p * panelSize + r * MR + m] = row < rows ? a[r * rStride + row * mStride] : 0f;
                    }
                }
            });
            int tailCols = cols - fullStrips * TILE;
            float[] strip = ws.input = Workspace.grow(ws.input, red * TILE);
            if (tailCols > 0) {
                for (int r = 0; r < red; r++) {
                    Arrays.fill(strip, r * TILE + tailCols, (r + 1) * TILE, 0f);
                    System.arraycopy(b, r * cols + fullStrips * TILE, strip, r * TILE, tailCols);
                }
            }
            int fullPanels = rows / MR;
            int pTasks = PlaneLayout.ceilDiv(panels, PANELS_PER_TASK);
            Parallel.forEach(strips * pTasks, threads, task -> {
                int s = task / pTasks, p0 = task % pTasks * PANELS_PER_TASK;
                boolean inPlace = s < fullStrips;
                float[] src = inPlace ? b : strip;
                int sb = inPlace ? s * TILE : 0, ss = inPlace ? cols : TILE;
                for (int p = p0, end = Math.min(panels, p0 + PANELS_PER_TASK); p < end; p++) {
                    if (inPlace && p < fullPanels) { // the whole 6 x 64 tile lies inside out
                        MicroKernels.gemm6x4(src, sb, ss, red, packed, p * panelSize, out, p * MR * cols + s * TILE, cols);
                        continue;
                    }
                    float[] results = Workspace.task(Workspace.RESULTS, MR * TILE);
                    MicroKernels.gemm6x4(src, sb, ss, red, packed, p * panelSize, results, 0, TILE);
                    int width = Math.min(TILE, cols - s * TILE);
                    for (int m = 0; m < MR && p * MR + m < rows; m++) {
                        System.arraycopy(results, m * TILE, out, (p * MR + m) * cols + s * TILE, width);
                    }
                }
            });
        } finally {
            ws.release();
        }
    }
}
