package org.conv4j.im2col;

import java.util.Arrays;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Parallel;
import org.conv4j.core.Tensor;

/**
 * The {@value #NAME} engine: each pass lowered to {@link Gemm} calls, Caffe-style.
 *
 * <ul>
 *   <li>forward, per image and group: {@code out[Kg, P] = W[Kg, Cg·R·S] · col[Cg·R·S, P]} with the
 *       output pre-filled with the bias (P = OH·OW);</li>
 *   <li>backward input: {@code col = W^T · dY}, then {@link Col2im} scatter-adds col into dX;</li>
 *   <li>backward weight: {@code dW[Kg, Cg·R·S] += dY[Kg, P] · col^T} over the batch; dB = sum of dY.</li>
 * </ul>
 * The column matrix is lowered in tiles of output pixels into a per-thread workspace of at most
 * {@link LoweringWorkspace#BUDGET_FLOATS} floats (4 MiB). A 1x1, stride-1, unpadded convolution
 * skips the lowering: the input planes already are the column matrix.
 *
 * <p>Work is split into tasks over images, groups and pixel tiles (forward), images, groups and
 * channel ranges (backward input: channels keep the scatter-adds of different tasks disjoint), and
 * groups, channel ranges and output-channel ranges (backward weight: every task owns its block of
 * dW and sums over the batch itself, so there is no cross-task reduction). Tile sizes depend only
 * on the shapes, never on the thread count, and every element is summed in a fixed order, so the
 * results are bit-identical for any number of threads.
 */
public final class Im2colEngine implements ConvEngine {
    public static final String NAME = "im2col";
    /** Between the naive reference (0) and the Vector API engine (100). */
    public static final int PRIORITY = 50;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        ConvGeometry g = ConvGeometry.forward(input, weight, bias, spec, output);
        float[] x = input.data(), w = weight.data(), y = output.data();
        float[] b = bias == null ? null : bias.data();
        int groups = g.groups(), cg = g.cPerGroup(), kg = g.kPerGroup(), pixels = g.outH() * g.outW();
        int rows = g.reductionLength();
        boolean direct = isPointwise(g);
        int tile = LoweringWorkspace.tilePixels(rows, pixels);
        int tiles = Math.max(ceilDiv(pixels, tile), ceilDiv(ConvEngines.threads(), g.n() * groups));
        int tiles1 = Math.min(tiles, pixels);
        int step = ceilDiv(pixels, tiles1);
        int perImage = groups * tiles1;
        Parallel.forEach(g.n() * perImage, task -> {
            int n = task / perImage, gi = task / tiles1 % groups;
            int p0 = task % tiles1 * step, p1 = Math.min(pixels, p0 + step);
            if (p0 >= p1) {
                return;
            }
            int len = p1 - p0;
            int out = (n * g.k() + gi * kg) * pixels + p0;
            float beta = 0f;
            if (b != null) {
                for (int k = 0; k < kg; k++) {
                    Arrays.fill(y, out + k * pixels, out + k * pixels + len, b[gi * kg + k]);
                }
                beta = 1f;
            }
            int in = (n * g.c() + gi * cg) * g.h() * g.w();
            if (direct) {
                Gemm.multiplyUnchecked(false, false, kg, len, rows, 1f, w, gi * kg * rows, rows,
                        x, in + p0, pixels, beta, y, out, pixels);
            } else {
                float[] col = LoweringWorkspace.get(rows * len);
                Im2col.lower(x, in, cg, g, p0, p1, col, len);
                Gemm.multiplyUnchecked(false, false, kg, len, rows, 1f, w, gi * kg * rows, rows,
                        col, 0, len, beta, y, out, pixels);
            }
        });
    }

    @Override
    public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        ConvGeometry g = ConvGeometry.backwardInput(gradOutput, weight, spec, gradInput);
        float[] dy = gradOutput.data(), w = weight.data(), dx = gradInput.data();
        int groups = g.groups(), cg = g.cPerGroup(), kg = g.kPerGroup(), pixels = g.outH() * g.outW();
        int rows = g.reductionLength(), taps = g.r() * g.s(), plane = g.h() * g.w();
        int threads = ConvEngines.threads();
        if (isPointwise(g)) { // dX = W^T · dY straight into the input planes
            int tiles = Math.min(pixels, Math.max(1, ceilDiv(threads, g.n() * groups)));
            int step = ceilDiv(pixels, tiles);
            int perImage = groups * tiles;
            Parallel.forEach(g.n() * perImage, task -> {
                int n = task / perImage, gi = task / tiles % groups;
                int p0 = task % tiles * step, p1 = Math.min(pixels, p0 + step);
                if (p0 < p1) {
                    Gemm.multiplyUnchecked(true, false, cg, p1 - p0, kg, 1f, w, gi * kg * cg, cg,
                            dy, (n * g.k() + gi * kg) * pixels + p0, pixels, 0f,
                            dx, (n * g.c() + gi * cg) * plane + p0, plane);
                }
            });
            return;
        }
        int tile = LoweringWorkspace.tilePixels(rows, pixels);
        int chunks = Math.min(cg, ceilDiv(threads, g.n() * groups));
        int perImage = groups * chunks;
        Parallel.forEach(g.n() * perImage, task -> {
            int n = task / perImage, gi = task / chunks % groups, chunk = task % chunks;
            int c0 = chunk * cg / chunks, c1 = (chunk + 1) * cg / chunks;
            int channels = c1 - c0, chunkRows = channels * taps;
            int in = (n * g.c() + gi * cg + c0) * plane;
            Arrays.fill(dx, in, in + channels * plane, 0f);
            float[] col = LoweringWorkspace.get(chunkRows * Math.min(tile, pixels));
            for (int p0 = 0; p0 < pixels; p0 += tile) {
                int p1 = Math.min(pixels, p0 + tile), len = p1 - p0;
                Gemm.multiplyUnchecked(true, false, chunkRows, len, kg, 1f, w, gi * kg * rows + c0 * taps, rows,
                        dy, (n * g.k() + gi * kg) * pixels + p0, pixels, 0f, col, 0, len);
                Col2im.accumulate(col, len, g, p0, p1, dx, in, channels);
            }
        });
    }

    @Override
    public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
        ConvGeometry g = ConvGeometry.backwardWeight(input, gradOutput, spec, gradWeight, gradBias);
        float[] x = input.data(), dy = gradOutput.data(), dw = gradWeight.data();
        float[] db = gradBias == null ? null : gradBias.data();
        int groups = g.groups(), cg = g.cPerGroup(), kg = g.kPerGroup(), pixels = g.outH() * g.outW();
        int rows = g.reductionLength(), taps = g.r() * g.s(), plane = g.h() * g.w();
        int threads = ConvEngines.threads();
        boolean direct = isPointwise(g);
        int tile = direct ? pixels : LoweringWorkspace.tilePixels(rows, pixels);
        int cChunks = Math.min(cg, ceilDiv(threads, groups));
        int kChunks = Math.min(kg, ceilDiv(threads, groups * cChunks));
        int perGroup = cChunks * kChunks;
        Parallel.forEach(groups * perGroup, task -> {
            int gi = task / perGroup, cChunk = task / kChunks % cChunks, kChunk = task % kChunks;
            int c0 = cChunk * cg / cChunks, c1 = (cChunk + 1) * cg / cChunks;
            int k0 = kChunk * kg / kChunks, k1 = (kChunk + 1) * kg / kChunks;
            int chunkRows = (c1 - c0) * taps;
            int target = (gi * kg + k0) * rows + c0 * taps;
            float[] col = direct ? null : LoweringWorkspace.get(chunkRows * Math.min(tile, pixels));
            float beta = 0f;
            for (int n = 0; n < g.n(); n++) {
                int in = (n * g.c() + gi * cg + c0) * plane;
                for (int p0 = 0; p0 < pixels; p0 += tile) {
                    int p1 = Math.min(pixels, p0 + tile), len = p1 - p0;
                    int grad = (n * g.k() + gi * kg + k0) * pixels + p0;
                    if (direct) {
                        Gemm.multiplyUnchecked(false, true, k1 - k0, chunkRows, len, 1f, dy, grad, pixels,
                                x, in + p0, plane, beta, dw, target, rows);
                    } else {
                        Im2col.lower(x, in, c1 - c0, g, p0, p1, col, len);
                        Gemm.multiplyUnchecked(false, true, k1 - k0, chunkRows, len, 1f, dy, grad, pixels,
                                col, 0, len, beta, dw, target, rows);
                    }
                    beta = 1f;
                }
            }
            if (db != null && cChunk == 0) {
                for (int k = gi * kg + k0; k < gi * kg + k1; k++) {
                    db[k] = biasGradient(dy, k, g.n(), g.k(), pixels);
                }
            }
        });
    }

    /** {@code sum over n, p of dY[n, k, p]}, accumulated in double in a fixed order. */
    private static float biasGradient(float[] dy, int k, int batch, int channels, int pixels) {
        double sum = 0;
        for (int n = 0; n < batch; n++) {
            int base = (n * channels + k) * pixels;
            for (int p = base; p < base + pixels; p++) {
                sum += dy[p];
            }
        }
        return (float) sum;
    }

    /** A 1x1, stride-1, unpadded convolution, whose column matrix is the input itself. */
    static boolean isPointwise(ConvGeometry g) {
        Conv2dSpec sp = g.spec();
        return g.r() == 1 && g.s() == 1 && sp.strideH() == 1 && sp.strideW() == 1 && sp.padTop() == 0
                && sp.padBottom() == 0 && sp.padLeft() == 0 && sp.padRight() == 0;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
