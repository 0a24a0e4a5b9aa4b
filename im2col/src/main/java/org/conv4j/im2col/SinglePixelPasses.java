package org.conv4j.im2col;

import java.util.Arrays;
import org.conv4j.core.Parallel;

/**
 * The three passes when the output is a single pixel (OH = OW = 1: a fully-connected layer written
 * as a 1x1 convolution on 1x1 planes, or a kernel that covers the whole padded input). Per image
 * that is a matrix-vector product, which the per-image path would run as GEMMs one column wide;
 * here the batch becomes the GEMM's other dimension instead: {@code out[N, Kg] = col[N, rows] · W^T}
 * per group, with the single column of every image of a batch chunk lowered side by side
 * (pointwise convolutions read the input directly: with 1x1 planes it already is {@code [N, C]}).
 *
 * <p>Tasks split the images (forward: each output element is one dot product, whoever computes
 * it), input channels (backward input, so scatter-adds stay disjoint) or dW blocks (backward
 * weight, which sums over the batch in chunks sized by the workspace budget alone), so every
 * element is summed in the same order for any thread count.
 */
final class SinglePixelPasses {
    /** Narrowest block of output channels worth a task of its own: one 16-float vector of the kernel's rows. */
    private static final int MIN_COLUMNS = PackedB.VECTOR_FLOATS;

    private SinglePixelPasses() {
    }

    /** Images per lowered chunk: {@code rows x chunk} floats within the workspace budget. */
    private static int batchChunk(ConvLayout l) {
        return l.pointwise() ? l.g().n() : LoweringWorkspace.tilePixels(l.rows(), l.g().n());
    }

    /** Lowers the single column of images {@code [n0, n1)}, channels of group gi from c0 on, as columns of col. */
    private static void lowerBatch(ConvLayout l, float[] x, int gi, int c0, int channels, int n0, int n1, float[] col) {
        int nb = n1 - n0;
        for (int n = n0; n < n1; n++) {
            Im2col.lower(x, l.input(n, gi * l.cPerGroup() + c0), channels, l.g(), 0, 1, col, n - n0, nb);
        }
    }

    static void forward(ConvLayout l, float[] x, float[] w, float[] b, float[] y, int threads) {
        int batch = l.g().n(), groups = l.groups(), kg = l.kPerGroup(), k = l.g().k(), c = l.g().c();
        int rows = l.rows(), chunk = batchChunk(l);
        // split the images (the GEMM's rows, in whole slivers), keeping its rows (output channels) long
        int parts = Math.max(1, Math.min(ConvLayout.ceilDiv(threads, groups), batch / PackedA.MR));
        Parallel.forEach(groups * parts, threads, task -> {
            int gi = task / parts, part = task % parts, k0 = gi * kg;
            int first = ConvLayout.split(part, batch, parts), last = ConvLayout.split(part + 1, batch, parts);
            for (int n0 = first; n0 < last; n0 += chunk) {
                int n1 = Math.min(last, n0 + chunk), nb = n1 - n0, out = n0 * k + k0;
                float beta = 0f;
                if (b != null) {
                    for (int n = 0; n < nb; n++) {
                        System.arraycopy(b, k0, y, out + n * k, kg);
                    }
                    beta = 1f;
                }
                if (l.pointwise()) { // x is [N, C]
                    Gemm.multiplyUnchecked(false, true, nb, kg, rows, 1f, x, n0 * c + gi * rows, c,
                            w, l.weight(k0, 0), rows, beta, y, out, k);
                } else {
                    float[] col = LoweringWorkspace.get(rows * nb);
                    lowerBatch(l, x, gi, 0, l.cPerGroup(), n0, n1, col);
                    Gemm.multiplyUnchecked(true, true, nb, kg, rows, 1f, col, 0, nb,
                            w, l.weight(k0, 0), rows, beta, y, out, k);
                }
            }
        });
    }

    static void backwardInput(ConvLayout l, float[] dy, float[] w, float[] dx, int threads) {
        int batch = l.g().n(), groups = l.groups(), kg = l.kPerGroup(), cg = l.cPerGroup(), k = l.g().k();
        int c = l.g().c(), rows = l.rows(), chunk = batchChunk(l);
        int limit = l.pointwise() ? cg / MIN_COLUMNS : cg;
        int parts = Math.max(1, Math.min(ConvLayout.ceilDiv(threads, groups), limit));
        Parallel.forEach(groups * parts, threads, task -> {
            int gi = task / parts, part = task % parts;
            int c0 = ConvLayout.split(part, cg, parts), c1 = ConvLayout.split(part + 1, cg, parts);
            for (int n0 = 0; n0 < batch; n0 += chunk) {
                int n1 = Math.min(batch, n0 + chunk), nb = n1 - n0;
                if (l.pointwise()) { // dX[N, C] = dY[N, K] · W per group
                    Gemm.multiplyUnchecked(false, false, nb, c1 - c0, kg, 1f, dy, n0 * k + gi * kg, k,
                            w, l.weight(gi * kg, c0), rows, 0f, dx, n0 * c + gi * cg + c0, c);
                    continue;
                }
                int chunkRows = (c1 - c0) * l.taps();
                float[] col = LoweringWorkspace.get(chunkRows * nb);
                Gemm.multiplyUnchecked(true, true, chunkRows, nb, kg, 1f, w, l.weight(gi * kg, c0), rows,
                        dy, n0 * k + gi * kg, k, 0f, col, 0, nb);
                for (int n = n0; n < n1; n++) {
                    int in = l.input(n, gi * cg + c0);
                    Arrays.fill(dx, in, in + (c1 - c0) * l.plane(), 0f);
                    Col2im.accumulate(col, n - n0, nb, l.g(), 0, 1, dx, in, c1 - c0);
                }
            }
        });
    }

    static void backwardWeight(ConvLayout l, float[] x, float[] dy, float[] dw, float[] db, int threads) {
        int batch = l.g().n(), groups = l.groups(), kg = l.kPerGroup(), cg = l.cPerGroup(), k = l.g().k();
        int c = l.g().c(), rows = l.rows(), chunk = batchChunk(l);
        int cParts = ConvLayout.evenParts(cg, ConvLayout.ceilDiv(threads, groups));
        // every part re-lowers and re-packs the same input, so only split rows worth it: whole slivers, evenly
        int kParts = ConvLayout.evenParts(kg / PackedA.MR, ConvLayout.ceilDiv(threads, groups * cParts));
        Parallel.forEach(groups * cParts * kParts, threads, task -> {
            int kPart = task % kParts, cPart = task / kParts % cParts, gi = task / kParts / cParts;
            int c0 = ConvLayout.split(cPart, cg, cParts), c1 = ConvLayout.split(cPart + 1, cg, cParts);
            int k0 = gi * kg + ConvLayout.split(kPart, kg, kParts), k1 = gi * kg + ConvLayout.split(kPart + 1, kg, kParts);
            int chunkRows = (c1 - c0) * l.taps(), target = l.weight(k0, c0);
            for (int n0 = 0; n0 < batch; n0 += chunk) {
                int n1 = Math.min(batch, n0 + chunk), nb = n1 - n0;
                float beta = n0 == 0 ? 0f : 1f; // the first chunk overwrites dW, the rest accumulate
                if (l.pointwise()) { // dW[Kg, C] = dY^T · x[N, C]
                    Gemm.multiplyUnchecked(true, false, k1 - k0, chunkRows, nb, 1f, dy, n0 * k + k0, k,
                            x, n0 * c + gi * cg + c0, c, beta, dw, target, rows);
                } else {
                    float[] col = LoweringWorkspace.get(chunkRows * nb);
                    lowerBatch(l, x, gi, c0, c1 - c0, n0, n1, col);
                    Gemm.multiplyUnchecked(true, true, k1 - k0, chunkRows, nb, 1f, dy, n0 * k + k0, k,
                            col, 0, nb, beta, dw, target, rows);
                }
            }
            if (db != null && cPart == 0) {
                for (int kk = k0; kk < k1; kk++) {
                    db[kk] = l.biasGradient(dy, kk);
                }
            }
        });
    }
}
