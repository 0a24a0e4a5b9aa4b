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
 *   <li>forward, per image and group: {@code out[Kg, P] = W[Kg, Cg·R·S] · col[Cg·R·S, P]} into the
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
 * dW and sums over the batch itself, so there is no cross-task reduction). Lowering tiles depend
 * only on the shapes, never on the thread count, and every element is summed in a fixed order, so
 * the results are bit-identical for any number of threads.
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
        ConvLayout l = ConvLayout.of(ConvGeometry.forward(input, weight, bias, spec, output));
        float[] x = input.data(), w = weight.data(), y = output.data();
        float[] b = bias == null ? null : bias.data();
        int batch = l.g().n(), groups = l.groups(), cg = l.cPerGroup(), kg = l.kPerGroup(), pixels = l.pixels();
        int threads = ConvEngines.threads();
        if (pixels == 1) {
            SinglePixelPasses.forward(l, x, w, b, y, threads);
            return;
        }
        // Pixel ranges of at most one lowering tile each. When that leaves threads idle, split the
        // output channels (whole slivers of the GEMM's MR rows) rather than the pixels: each task
        // re-lowers its pixels, a small cost next to keeping the GEMM's rows long, which is what
        // its kernel's speed depends on (a 14x14 image split in two gives rows of 98 floats).
        int tiles = ConvLayout.ceilDiv(pixels, l.tile());
        int wanted = ConvLayout.ceilDiv(threads, batch * groups * tiles);
        int kParts = Math.max(1, Math.min(wanted, kg / PackedA.MR));
        int pParts = Math.min(pixels, Math.max(tiles, ConvLayout.ceilDiv(threads, batch * groups * kParts)));
        int perGroup = pParts * kParts;
        Parallel.forEach(batch * groups * perGroup, task -> {
            int part = task % pParts, kPart = task / pParts % kParts;
            int gi = task / perGroup % groups, n = task / perGroup / groups;
            int p0 = ConvLayout.split(part, pixels, pParts), p1 = ConvLayout.split(part + 1, pixels, pParts);
            int k0 = gi * kg + sliverSplit(kPart, kg, kParts), k1 = gi * kg + sliverSplit(kPart + 1, kg, kParts);
            int len = p1 - p0, out = l.output(n, k0) + p0;
            float beta = 0f;
            if (b != null) {
                for (int k = k0; k < k1; k++) {
                    int row = out + (k - k0) * pixels;
                    Arrays.fill(y, row, row + len, b[k]);
                }
                beta = 1f;
            }
            int in = l.input(n, gi * cg);
            if (l.pointwise()) {
                Gemm.multiplyUnchecked(false, false, k1 - k0, len, l.rows(), 1f, w, l.weight(k0, 0), l.rows(),
                        x, in + p0, pixels, beta, y, out, pixels);
            } else {
                float[] col = LoweringWorkspace.get(l.rows() * len);
                Im2col.lower(x, in, cg, l.g(), p0, p1, col, len);
                Gemm.multiplyUnchecked(false, false, k1 - k0, len, l.rows(), 1f, w, l.weight(k0, 0), l.rows(),
                        col, 0, len, beta, y, out, pixels);
            }
        });
    }

    /** Start of part {@code index} of {@code total} rows split into {@code parts}, on sliver boundaries. */
    private static int sliverSplit(int index, int total, int parts) {
        if (index == parts) {
            return total;
        }
        int slivers = total / PackedA.MR;
        return ConvLayout.split(index, slivers, parts) * PackedA.MR;
    }

    @Override
    public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        ConvLayout l = ConvLayout.of(ConvGeometry.backwardInput(gradOutput, weight, spec, gradInput));
        float[] dy = gradOutput.data(), w = weight.data(), dx = gradInput.data();
        int batch = l.g().n(), groups = l.groups(), cg = l.cPerGroup(), kg = l.kPerGroup(), pixels = l.pixels();
        int threads = ConvEngines.threads();
        if (pixels == 1) {
            SinglePixelPasses.backwardInput(l, dy, w, dx, threads);
            return;
        }
        if (l.pointwise()) { // dX = W^T · dY straight into the input planes, split over pixels
            int parts = Math.min(pixels, ConvLayout.ceilDiv(threads, batch * groups));
            Parallel.forEach(batch * groups * parts, task -> {
                int part = task % parts, gi = task / parts % groups, n = task / parts / groups;
                int p0 = ConvLayout.split(part, pixels, parts), p1 = ConvLayout.split(part + 1, pixels, parts);
                Gemm.multiplyUnchecked(true, false, cg, p1 - p0, kg, 1f, w, l.weight(gi * kg, 0), cg,
                        dy, l.output(n, gi * kg) + p0, pixels, 0f, dx, l.input(n, gi * cg) + p0, pixels);
            });
            return;
        }
        // channel ranges: each task scatters only into its own input planes
        int parts = Math.min(cg, ConvLayout.ceilDiv(threads, batch * groups));
        Parallel.forEach(batch * groups * parts, task -> {
            int part = task % parts, gi = task / parts % groups, n = task / parts / groups;
            int c0 = ConvLayout.split(part, cg, parts), c1 = ConvLayout.split(part + 1, cg, parts);
            int channels = c1 - c0, chunkRows = channels * l.taps(), in = l.input(n, gi * cg + c0);
            Arrays.fill(dx, in, in + channels * l.plane(), 0f);
            float[] col = LoweringWorkspace.get(chunkRows * l.tile());
            for (int p0 = 0; p0 < pixels; p0 += l.tile()) {
                int p1 = Math.min(pixels, p0 + l.tile()), len = p1 - p0;
                Gemm.multiplyUnchecked(true, false, chunkRows, len, kg, 1f, w, l.weight(gi * kg, c0), l.rows(),
                        dy, l.output(n, gi * kg) + p0, pixels, 0f, col, 0, len);
                Col2im.accumulate(col, len, l.g(), p0, p1, dx, in, channels);
            }
        });
    }

    @Override
    public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
        ConvLayout l = ConvLayout.of(ConvGeometry.backwardWeight(input, gradOutput, spec, gradWeight, gradBias));
        float[] x = input.data(), dy = gradOutput.data(), dw = gradWeight.data();
        float[] db = gradBias == null ? null : gradBias.data();
        int batch = l.g().n(), groups = l.groups(), cg = l.cPerGroup(), kg = l.kPerGroup(), pixels = l.pixels();
        int threads = ConvEngines.threads();
        if (pixels == 1) {
            SinglePixelPasses.backwardWeight(l, x, dy, dw, db, threads);
            return;
        }
        // pointwise: one GEMM per image over all pixels; otherwise one per lowering tile
        int tile = l.pointwise() ? pixels : l.tile();
        // Blocks of dW: input-channel ranges (each task lowers only its channels) when there are
        // enough channels to share out evenly, else output-channel ranges (each task lowers all
        // channels; the stem's 3 channels over 2 threads would be a 1:2 split).
        int cParts = ConvLayout.evenParts(cg, ConvLayout.ceilDiv(threads, groups));
        // every part re-lowers and re-packs the same input, so only split rows worth it: whole slivers, evenly
        int kParts = ConvLayout.evenParts(kg / PackedA.MR, ConvLayout.ceilDiv(threads, groups * cParts));
        Parallel.forEach(groups * cParts * kParts, task -> {
            int kPart = task % kParts, cPart = task / kParts % cParts, gi = task / kParts / cParts;
            int c0 = ConvLayout.split(cPart, cg, cParts), c1 = ConvLayout.split(cPart + 1, cg, cParts);
            int k0 = gi * kg + ConvLayout.split(kPart, kg, kParts), k1 = gi * kg + ConvLayout.split(kPart + 1, kg, kParts);
            int chunkRows = (c1 - c0) * l.taps(), target = l.weight(k0, c0);
            float[] col = l.pointwise() ? null : LoweringWorkspace.get(chunkRows * tile);
            float beta = 0f; // the first product overwrites dW, the rest accumulate
            for (int n = 0; n < batch; n++) {
                int in = l.input(n, gi * cg + c0);
                for (int p0 = 0; p0 < pixels; p0 += tile) {
                    int p1 = Math.min(pixels, p0 + tile), len = p1 - p0, grad = l.output(n, k0) + p0;
                    if (l.pointwise()) {
                        Gemm.multiplyUnchecked(false, true, k1 - k0, chunkRows, len, 1f, dy, grad, pixels,
                                x, in + p0, pixels, beta, dw, target, l.rows());
                    } else {
                        Im2col.lower(x, in, c1 - c0, l.g(), p0, p1, col, len);
                        Gemm.multiplyUnchecked(false, true, k1 - k0, chunkRows, len, 1f, dy, grad, pixels,
                                col, 0, len, beta, dw, target, l.rows());
                    }
                    beta = 1f;
                }
            }
            if (db != null && cPart == 0) {
                for (int k = k0; k < k1; k++) {
                    db[k] = l.biasGradient(dy, k);
                }
            }
        });
    }

    @Override
    public String toString() {
        return NAME;
    }
}
