package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.GRAD_MR;
import static org.conv4j.simd.MicroKernels.GRAD_NR;
import static org.conv4j.simd.MicroKernels.LANES;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Parallel;

/**
 * The weight and bias gradients. With the input packed exactly as for the forward pass
 * ({@link PackedChunk}) and the output gradient spread over the same flat positions (zero at the
 * positions the forward pass throws away), every weight gradient is a dot product of two contiguous
 * runs: {@code dW[k][c][t] = sum over p of dy[k][p] * x[c][taps[t] + p]}. That is a GEMM with the
 * reduction along the vectors: tiles of {@link MicroKernels#GRAD_MR} output channels x
 * {@link MicroKernels#GRAD_NR} (channel, tap) columns accumulate lane-wise over position blocks and
 * are reduced across lanes once at the end.
 *
 * <p>Each task owns a fixed set of weight-gradient elements and sums over positions in a fixed
 * order, so the result does not depend on the number of threads.
 */
final class WeightGradient {
    /** Flat positions per block: 16 output-gradient rows plus ~8 channels of input rows, 256 floats each, stay in the 48 KiB L1 while every tile of a task sweeps them. */
    static final int POSITION_BLOCK = 256;
    /** Output-channel panels per task (16 rows of the output gradient). */
    static final int PANELS_PER_TASK = 4;
    /** Column tiles per task (48 (channel, tap) columns: about 5 channels of a 3x3 kernel). */
    static final int COLUMN_TILES_PER_TASK = 8;

    /** Output channels per group from which the transposed form is used: one 64-channel register tile is then at least full. */
    static final int TRANSPOSED_MIN_OUTPUTS = 64;
    /** Positions per block in the transposed form: 128 positions x 64 channels of the output gradient (32 KiB) stay in L1 across a task's column tiles. */
    static final int TRANSPOSED_POSITION_BLOCK = 128;

    private WeightGradient() {
    }

    static void run(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] db) {
        if (db != null) {
            biasGradient(g, dy, db);
        }
        ConvPlan plan = ConvPlan.forward(g);
        int threads = ConvEngines.threads();
        Workspace ws = Workspace.acquire();
        try {
            int perImage = PackedChunk.floatsPerImage(plan) + g.k() * plan.paddedH() * plan.paddedW();
            int chunk = Math.max(1, Math.min(g.n(), DirectConvolution.CHUNK_BUDGET / perImage));
            for (int n0 = 0; n0 < g.n(); n0 += chunk) {
                runChunk(g, plan, x, dy, dw, n0, Math.min(chunk, g.n() - n0), ws, threads);
            }
        } finally {
            ws.release();
        }
    }

    private static void runChunk(ConvGeometry g, ConvPlan plan, float[] src, float[] dy, float[] dw, int n0,
                                 int images, Workspace ws, int threads) {
        PackedChunk packed = PackedChunk.pack(plan, src, n0, images, ws.input, LANES, threads);
        float[] x = ws.input = packed.data();
        PlaneLayout layout = packed.layout();
        int chStride = layout.channelStride();
        int taps = plan.taps(), cg = g.cPerGroup(), kg = g.kPerGroup(), groups = g.groups();
        int gm = kg < GRAD_MR ? 1 : GRAD_MR; // depthwise: one output-gradient row per tile, not 3 zero rows
        int kPanels = PlaneLayout.ceilDiv(kg, gm);
        int columns = cg * taps;
        int colTiles = PlaneLayout.ceilDiv(columns, GRAD_NR);
        int[] colOff = new int[colTiles * GRAD_NR]; // padding columns read channel 0, tap 0 and are dropped
        for (int j = 0; j < columns; j++) {
            colOff[j] = (j / taps) * chStride + packed.taps()[j % taps];
        }

        boolean first = n0 == 0;
        if (kg >= TRANSPOSED_MIN_OUTPUTS) {
            runTransposed(g, layout, x, colOff, dy, dw, n0, first, ws, threads);
            return;
        }
        int length = roundUp(layout.positions(g.outH(), g.outW()), LANES);
        int rowStride = roundUp(layout.phaseStride(), LANES);
        int rows = groups * kPanels * gm;
        float[] dyp = ws.gradOutput = Workspace.grow(ws.gradOutput, rows * rowStride);
        Parallel.forEach(rows, threads, row -> packGradRow(g, layout, dy, n0, row / (kPanels * gm),
                row % (kPanels * gm), dyp, row * rowStride));

        int kTasks = PlaneLayout.ceilDiv(kPanels, PANELS_PER_TASK);
        int cTasks = PlaneLayout.ceilDiv(colTiles, COLUMN_TILES_PER_TASK);
        Parallel.forEach(groups * kTasks * cTasks, threads, task -> {
            int ct0 = (task % cTasks) * COLUMN_TILES_PER_TASK;
            int kp0 = (task / cTasks % kTasks) * PANELS_PER_TASK;
            int grp = task / cTasks / kTasks;
            int ctN = Math.min(COLUMN_TILES_PER_TASK, colTiles - ct0);
            int kpN = Math.min(PANELS_PER_TASK, kPanels - kp0);
            int tileFloats = gm * GRAD_NR * LANES;
            float[] acc = Workspace.task(Workspace.RESULTS, kpN * ctN * tileFloats);
            Arrays.fill(acc, 0, kpN * ctN * tileFloats, 0f);
            int xb = grp * cg * chStride;
            for (int p = 0; p < length; p += POSITION_BLOCK) {
                int len = Math.min(POSITION_BLOCK, length - p);
                for (int kp = 0; kp < kpN; kp++) {
                    int db = ((grp * kPanels + kp0 + kp) * gm) * rowStride + p;
                    for (int ct = 0; ct < ctN; ct++) {
                        if (gm == 1) {
                            MicroKernels.grad1x6(dyp, db, x, xb + p, colOff, (ct0 + ct) * GRAD_NR, len, acc,
                                    (kp * ctN + ct) * tileFloats);
                        } else {
                            MicroKernels.grad4x6(dyp, db, rowStride, x, xb + p, colOff, (ct0 + ct) * GRAD_NR, len,
                                    acc, (kp * ctN + ct) * tileFloats);
                        }
                    }
                }
            }
            for (int kp = 0; kp < kpN; kp++) {
                for (int ct = 0; ct < ctN; ct++) {
                    for (int m = 0; m < gm; m++) {
                        int k = (kp0 + kp) * gm + m;
                        for (int j = 0; j < GRAD_NR; j++) {
                            int col = (ct0 + ct) * GRAD_NR + j;
                            if (k < kg && col < columns) {
                                float v = MicroKernels.sumLanes(acc, (kp * ctN + ct) * tileFloats + (m * GRAD_NR + j) * LANES);
                                int idx = ((grp * kg + k) * cg + col / taps) * taps + col % taps;
                                dw[idx] = first ? v : dw[idx] + v;
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * The transposed form for groups with many output channels: the output gradient is packed as
     * [position][channel] so the channels lie along the vectors and each position broadcasts six input
     * values into a 6 x 4-vector tile ({@link MicroKernels#gradT6x4}); sums run over positions in
     * registers and need no lane reduction, which dominates the other form on small planes.
     */
    private static void runTransposed(ConvGeometry g, PlaneLayout layout, float[] x, int[] colOff, float[] dy,
                                      float[] dw, int n0, boolean first, Workspace ws, int threads) {
        int taps = g.r() * g.s(), cg = g.cPerGroup(), kg = g.kPerGroup(), groups = g.groups();
        int chStride = layout.channelStride();
        int kTile = MicroKernels.NR * LANES;
        int kTiles = PlaneLayout.ceilDiv(kg, kTile);
        int kPad = kTiles * kTile;
        int positions = layout.positions(g.outH(), g.outW());
        int columns = cg * taps;
        int colTiles = PlaneLayout.ceilDiv(columns, MicroKernels.MR);
        float[] dyT = ws.gradOutput = Workspace.grow(ws.gradOutput, groups * positions * kPad);
        int plane = g.outH() * g.outW();
        int outH = g.outH(), outW = g.outW(), cols = layout.cols();
        Parallel.forEach(groups * layout.images() * outH, threads, task -> { // one output row per task
            int oh = task % outH, img = task / outH % layout.images(), grp = task / outH / layout.images();
            int from = img * layout.imageStride() + oh * cols;
            // the last row of an image also clears the junk rows below it
            int to = Math.min(positions, oh == outH - 1 ? (img + 1) * layout.imageStride() : from + cols);
            int base = grp * positions * kPad;
            Arrays.fill(dyT, base + from * kPad, base + to * kPad, 0f);
            int src = ((n0 + img) * g.k() + grp * kg) * plane + oh * outW;
            for (int ow = 0; ow < outW; ow++) {
                int row = base + (from + ow) * kPad;
                for (int k = 0; k < kg; k++) {
                    dyT[row + k] = dy[src + k * plane + ow];
                }
            }
        });
        int cTasks = PlaneLayout.ceilDiv(colTiles, COLUMN_TILES_PER_TASK);
        int tileFloats = MicroKernels.MR * kTile;
        Parallel.forEach(groups * kTiles * cTasks, threads, task -> {
            int ct0 = (task % cTasks) * COLUMN_TILES_PER_TASK;
            int kt = task / cTasks % kTiles;
            int grp = task / cTasks / kTiles;
            int ctN = Math.min(COLUMN_TILES_PER_TASK, colTiles - ct0);
            float[] acc = Workspace.task(Workspace.RESULTS, ctN * tileFloats);
            Arrays.fill(acc, 0, ctN * tileFloats, 0f);
            int xb = grp * cg * chStride;
            int yb = grp * positions * kPad + kt * kTile;
            for (int p = 0; p < positions; p += TRANSPOSED_POSITION_BLOCK) {
                int len = Math.min(TRANSPOSED_POSITION_BLOCK, positions - p);
                for (int ct = 0; ct < ctN; ct++) {
                    MicroKernels.gradT6x4(dyT, yb + p * kPad, kPad, x, xb + p, colOff, (ct0 + ct) * MicroKernels.MR,
                            len, acc, ct * tileFloats);
                }
            }
            int colEnd = Math.min(columns, (ct0 + ctN) * MicroKernels.MR);
            int kEnd = Math.min(kTile, kg - kt * kTile);
            for (int i = 0; i < kEnd; i++) { // dW[k][c][t] = dW[k][col]: write each k's columns in order
                int row = (grp * kg + kt * kTile + i) * columns;
                for (int ct = 0, col = ct0 * MicroKernels.MR; ct < ctN; ct++) {
                    for (int m = 0; m < MicroKernels.MR && col < colEnd; m++, col++) {
                        float v = acc[ct * tileFloats + m * kTile + i];
                        dw[row + col] = first ? v : dw[row + col] + v;
                    }
                }
            }
        });
    }

    /** One row of the packed output gradient: output channel {@code k} of group {@code grp} at the flat positions, zeros elsewhere (and for padding rows). */
    private static void packGradRow(ConvGeometry g, PlaneLayout layout, float[] dy, int n0, int grp, int k, float[] dst,
                                    int off) {
        int rowStride = roundUp(layout.phaseStride(), LANES);
        Arrays.fill(dst, off, off + rowStride, 0f);
        if (k >= g.kPerGroup()) {
            return;
        }
        int plane = g.outH() * g.outW();
        for (int img = 0; img < layout.images(); img++) {
            int from = ((n0 + img) * g.k() + grp * g.kPerGroup() + k) * plane;
            int to = off + img * layout.imageStride();
            for (int oh = 0; oh < g.outH(); oh++) {
                System.arraycopy(dy, from + oh * g.outW(), dst, to + oh * layout.cols(), g.outW());
            }
        }
    }

    /** {@code db[k] = sum over images and output pixels of dy}, image by image in order. */
    private static void biasGradient(ConvGeometry g, float[] dy, float[] db) {
        int plane = g.outH() * g.outW();
        for (int k = 0; k < g.k(); k++) {
            float sum = 0f;
            for (int n = 0; n < g.n(); n++) {
                int from = (n * g.k() + k) * plane;
                sum += MicroKernels.sum(dy, from, from + plane);
            }
            db[k] = sum;
        }
    }

    private static int roundUp(int v, int multiple) {
        return PlaneLayout.ceilDiv(v, multiple) * multiple;
    }
}
