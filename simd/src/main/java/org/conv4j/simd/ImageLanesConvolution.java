package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.MR;
import static org.conv4j.simd.MicroKernels.NR;
import static org.conv4j.simd.MicroKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Parallel;

/**
 * Small planes of a large batch (LeNet: 28x28, 14x14, 10x10) with the images along the vectors.
 * A block of {@code LANES} images is packed as {@code [channel][y][x][image]} (zero-padded plane), so
 * one output pixel of the block is one vector and consecutive pixels of a row are consecutive vectors.
 * The register tiles then run along output rows only: no position of a vector is ever a padding
 * column or a junk row, whereas the flat layout of {@link PlaneLayout} computes {@code paddedW - outW}
 * wasted columns per row (4 of 14 on LeNet conv2: 49 % of its positions are thrown away).
 *
 * <p>The price is a transposition on the way in and out (a gather of {@code LANES} images per pixel,
 * a scatter of the results), which is cheap next to the arithmetic when the reduction is long.
 * Stride 1, one group, at least {@link #MIN_OUTPUTS} outputs and a batch of at least one full block.
 *
 * <p>Forward and input gradient: tasks are (block, output panel, group of output rows), each computes its
 * elements whole; rows near the top and bottom skip the kernel rows that meet only padding rows
 * ({@link KernelRows}). Weight gradient: tasks are (block, output panels, column tiles) producing per-block
 * partial sums that are added block after block, so results never depend on the thread count.
 */
final class ImageLanesConvolution {
    /** Output pixels per plane up to which this path is taken: the flat layout's junk columns matter on small planes, and a block's packed input stays in L2. */
    static final int MAX_PLANE = 32 * 32;
    /** Outputs per group from which the 6-row panels are worth it (fewer: the flat path's one-channel kernel). */
    static final int MIN_OUTPUTS = 4;
    /**
     * Reduction length (channels x taps) from which the forward pass and the input gradient take this
     * path: each output vector is scattered to {@code LANES} images, which a short reduction does not
     * pay for (LeNet conv1, 1 x 25: slower than the flat layout; conv2, 6 x 25 and 16 x 25: 2x faster).
     */
    static final int MIN_REDUCTION = 64;
    /**
     * Bytes of packed input that one output row reads (reduction channels x kernel rows x padded row) up to
     * which a task's reduction is one block: 32 KiB, two thirds of L1, so that consecutive output rows find
     * the 4 input rows they share in L1. Longer reductions are split into equal channel blocks, each run
     * over all rows of the task (the kernels add to their partial sums): LeNet conv2's input gradient, 16
     * channels x 5 rows x 18 x 16 images (92 KiB), runs 4 blocks of 4 channels.
     */
    static final int L1_ROW_INPUT_BYTES = 32 * 1024;
    /** Output floats per plane that one forward task writes at least (4 cache lines): see {@code rowsPerTask}. */
    static final int MIN_TASK_ROW_FLOATS = 64;
    /** Output-gradient floats of one row step of the weight gradient (16 KiB): a third of L1, with the input rows the column tiles read beside them. */
    static final int GRADIENT_STEP_FLOATS = 4096;
    /** Column tiles per weight-gradient task. */
    static final int COLUMN_TILES_PER_TASK = 8;

    private ImageLanesConvolution() {
    }

    /**
     * Junk columns of the flat layout, in tenths of its row, from which the forward pass and the input
     * gradient take this path: the scatter of the results across the batch costs more than a few junk
     * columns (measured on 64x16x32x32, 3x3, padding 1, 2 junk columns of 34: the flat layout is
     * 2x faster; 64x32x14x14, 2 of 16: this path is 1.1-1.5x faster).
     */
    static final int MIN_JUNK_TENTHS = 1;

    /** True when {@code plan} (forward or input gradient) suits this path. */
    static boolean applies(ConvPlan plan) {
        return suits(plan) && plan.reduction() * plan.taps() >= MIN_REDUCTION
                && 10 * (plan.paddedW() - plan.outW()) >= MIN_JUNK_TENTHS * plan.paddedW();
    }

    /** True when the weight gradient of {@code g} suits this path (no scatter: a short reduction is fine). */
    static boolean appliesToWeightGradient(ConvGeometry g) {
        return suits(ConvPlan.forward(g));
    }

    private static boolean suits(ConvPlan plan) {
        return plan.isDense()
                && plan.strideH() == 1 && plan.strideW() == 1 && plan.upH() == 1 && plan.upW() == 1
                && plan.groups() == 1 && plan.outputs() >= MIN_OUTPUTS && plan.taps() > 1
                && plan.batch() >= LANES && plan.outH() * plan.outW() <= MAX_PLANE;
    }

    /**
     * The gather/scatter maps of one pixel across a block's images: {@code map[0][l] = l * laneStride} for a
     * full block, and {@code map[1]} for the batch's last block when it is partial, with the lanes past
     * the batch pointing at lane 0 (they are masked off, but the JDK range-checks every lane of a
     * masked gather or scatter, set or not).
     */
    private static int[][] laneMaps(int laneStride, int batch) {
        int[][] maps = new int[2][LANES];
        int lastLanes = batch - (PlaneLayout.ceilDiv(batch, LANES) - 1) * LANES;
        for (int l = 0; l < LANES; l++) {
            maps[0][l] = l * laneStride;
            maps[1][l] = l < lastLanes ? l * laneStride : 0;
        }
        return maps;
    }

    /** The map of the block starting at image {@code n0}. */
    private static int[] map(int[][] maps, int n0, int batch) {
        return n0 + LANES <= batch ? maps[0] : maps[1];
    }

    /** Images {@code n0 .. n0+LANES} of a source tensor {@code [batch][channels][h][w]}, channel {@code c}, placed at {@code (top, left)} of a zeroed {@code ph x pw} plane at {@code dst[off]} as {@code [y][x][lane]}; missing images are zeros. */
    private static void packLanes(float[] src, int batch, int channels, int h, int w, int c, int n0, int top, int left,
                                  int ph, int pw, int[] map, float[] dst, int off) {
        if (top > 0 || left > 0 || top + h < ph || left + w < pw) { // zero padding around the image
            Arrays.fill(dst, off, off + ph * pw * LANES, 0f);
        }
        int plane = h * w;
        VectorMask<Float> valid = SPECIES.indexInRange(0, batch - n0);
        int base = (n0 * channels + c) * plane;
        int i0 = Math.max(0, -top), i1 = Math.min(h, ph - top);
        int j0 = Math.max(0, -left), j1 = Math.min(w, pw - left);
        boolean full = n0 + LANES <= batch; // the masked gather is not intrinsified: only for the last block
        for (int i = i0; i < i1; i++) {
            int row = off + ((top + i) * pw + left) * LANES;
            for (int j = j0; j < j1; j++) {
                FloatVector v = full ? FloatVector.fromArray(SPECIES, src, base + i * w + j, map, 0)
                        : FloatVector.fromArray(SPECIES, src, base + i * w + j, map, 0, valid);
                v.intoArray(dst, row + j * LANES);
            }
        }
    }

    /** Packs a weight panel of {@code mr} outputs restricted to taps {@code [t0, t1)}: {@code dst[off + (red*(t1-t0) + t-t0)*mr + m]} = the weight joining output {@code panel*mr + m} to reduction channel {@code red} at tap {@code t}; zero past the last output. */
    private static void packPanel(ConvPlan plan, float[] w, int mr, int panel, int t0, int t1, float[] dst, int off) {
        for (int red = 0; red < plan.reduction(); red++) {
            for (int t = t0; t < t1; t++) {
                for (int m = 0; m < mr; m++) {
                    int o = panel * mr + m;
                    dst[off + (red * (t1 - t0) + t - t0) * mr + m] = o < plan.outputs()
                            ? w[plan.weightIndex(0, o, red, t)] : 0f;
                }
            }
        }
    }

    /** The forward pass or the input gradient of {@code plan} (see {@link #applies}). */
    static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        int threads = ConvEngines.threads();
        Workspace ws = Workspace.acquire();
        try {
            int red = plan.reduction(), taps = plan.taps();
            int mr = panelRows(plan.outputs());
            int panels = PlaneLayout.ceilDiv(plan.outputs(), mr);
            int ph = plan.paddedH(), pw = plan.paddedW();
            int chStride = ph * pw * LANES;
            int blockFloats = plan.srcChannels() * chStride;
            int[] tapOff = new int[taps];
            for (int r = 0; r < plan.r(); r++) {
                for (int s = 0; s < plan.s(); s++) {
                    tapOff[r * plan.s() + s] = (r * plan.dilationH() * pw + s * plan.dilationW()) * LANES;
                }
            }
            // Output rows near the top and bottom meet padding rows with some kernel rows: those taps are
            // skipped (the input gradient of LeNet conv2 meets 4 padding rows per side: 29 % of its taps).
            // Each distinct range of kernel rows gets its own packed weights and tap offsets.
            KernelRows rows = KernelRows.of(plan, red * mr, panels);
            float[] packedW = ws.weights = Workspace.grow(ws.weights, rows.weightFloats());
            Parallel.forEach(rows.count() * panels, threads, i -> {
                int v = i / panels, p = i % panels;
                int t0 = rows.first(v) * plan.s(), t1 = rows.end(v) * plan.s();
                packPanel(plan, weights, mr, p, t0, t1, packedW, rows.weightOffset(v) + p * red * (t1 - t0) * mr);
            });
            int[][] rangeTaps = new int[rows.count()][];
            for (int v = 0; v < rows.count(); v++) {
                rangeTaps[v] = Arrays.copyOfRange(tapOff, rows.first(v) * plan.s(), rows.end(v) * plan.s());
            }
            int blocks = PlaneLayout.ceilDiv(plan.batch(), LANES);
            int perChunk = Math.max(1, DirectConvolution.CHUNK_BUDGET / blockFloats);
            int[][] srcMaps = laneMaps(plan.srcChannels() * plan.srcH() * plan.srcW(), plan.batch());
            int outPlane = plan.outH() * plan.outW();
            int[][] outMaps = laneMaps(plan.outChannels() * outPlane, plan.batch());
            int outH = plan.outH(), outW = plan.outW();
            int rowFloats = PlaneLayout.ceilDiv(outW, NR) * NR * LANES;
            // A task owns several output rows, so that two threads rarely scatter into the same cache line
            // of an output plane (10-float rows: one task per row had every line shared by two tasks).
            int rowsPerTask = Math.min(outH, PlaneLayout.ceilDiv(MIN_TASK_ROW_FLOATS, outW));
            int rowGroups = PlaneLayout.ceilDiv(outH, rowsPerTask);
            int redBlocks = reductionBlocks(plan);
            int redBlock = PlaneLayout.ceilDiv(red, redBlocks);
            for (int b0 = 0; b0 < blocks; b0 += perChunk) {
                int first = b0, count = Math.min(perChunk, blocks - b0);
                // margin: the last tile of a row may read up to NR positions past it
                float[] x = ws.input = Workspace.grow(ws.input, count * blockFloats + NR * LANES);
                Arrays.fill(x, count * blockFloats, count * blockFloats + NR * LANES, 0f);
                int channels = plan.srcChannels();
                Parallel.forEach(count * channels, threads, task -> {
                    int n0 = (first + task / channels) * LANES;
                    packLanes(src, plan.batch(), channels, plan.srcH(), plan.srcW(), task % channels, n0, plan.top(),
                            plan.left(), ph, pw, map(srcMaps, n0, plan.batch()), x,
                            task / channels * blockFloats + task % channels * chStride);
                });
                Parallel.forEach(count * panels * rowGroups, threads, task -> {
                    int group = task % rowGroups, panel = task / rowGroups % panels, blk = task / rowGroups / panels;
                    int oh0 = group * rowsPerTask, oh1 = Math.min(outH, oh0 + rowsPerTask);
                    // with several reduction blocks every row of the group keeps its partial sums until the last block
                    float[] results = Workspace.task(Workspace.RESULTS, (redBlocks > 1 ? oh1 - oh0 : 1) * mr * rowFloats);
                    int n0 = (first + blk) * LANES;
                    VectorMask<Float> valid = SPECIES.indexInRange(0, plan.batch() - n0);
                    int[] outMap = map(outMaps, n0, plan.batch());
                    boolean full = n0 + LANES <= plan.batch();
                    for (int c0 = 0; c0 < red; c0 += redBlock) {
                        int nRed = Math.min(redBlock, red - c0);
                        for (int oh = oh0; oh < oh1; oh++) {
                            int variant = rows.ofRow(oh);
                            int[] rowTaps = rangeTaps[variant];
                            int nTaps = rowTaps.length;
                            int xb = blk * blockFloats + c0 * chStride + oh * pw * LANES;
                            int wb = rows.weightOffset(variant) + (panel * red + c0) * nTaps * mr;
                            int rb = redBlocks > 1 ? (oh - oh0) * mr * rowFloats : 0;
                            if (mr == LaneKernels.ROWS) {
                                rowOf8(x, xb, chStride, rowTaps, nRed, packedW, wb, results, rb, rowFloats, outW, c0 > 0);
                            } else {
                                rowOf6(x, xb, chStride, rowTaps, nRed, packedW, wb, results, rb, rowFloats, outW, c0 > 0);
                            }
                            if (c0 + nRed < red) {
                                continue;
                            }
                            for (int m = 0, o = panel * mr; m < mr && o < plan.outputs(); m++, o++) {
                                FloatVector b = FloatVector.broadcast(SPECIES, bias == null ? 0f : bias[o]);
                                int to = (n0 * plan.outChannels() + o) * outPlane + oh * outW;
                                for (int ow = 0; ow < outW; ow++) {
                                    FloatVector v = FloatVector.fromArray(SPECIES, results, rb + m * rowFloats + ow * LANES)
                                            .add(b);
                                    if (full) {
                                        v.intoArray(out, to + ow, outMap, 0);
                                    } else {
                                        v.intoArray(out, to + ow, outMap, 0, valid);
                                    }
                                }
                            }
                        }
                    }
                });
            }
        } finally {
            ws.release();
        }
    }

    /** Equal channel blocks of the reduction whose input rows for one output row stay in L1 (see {@link #L1_ROW_INPUT_BYTES}). */
    static int reductionBlocks(ConvPlan plan) {
        int channelBytes = plan.r() * plan.paddedW() * LANES * Float.BYTES;
        return PlaneLayout.ceilDiv(plan.reduction(), Math.max(1, L1_ROW_INPUT_BYTES / channelBytes));
    }

    /**
     * Panel height for {@code outputs} outputs: 8 when 8-row panels waste fewer rows than 6-row ones
     * (16 outputs: 2 panels of 8 instead of 3 of 6, the last with 2 zero rows), else {@code MR}.
     */
    static int panelRows(int outputs) {
        int rows8 = LaneKernels.ROWS;
        return PlaneLayout.ceilDiv(outputs, rows8) * rows8 < PlaneLayout.ceilDiv(outputs, MR) * MR ? rows8 : MR;
    }

    /** One output row of a 6-output panel into {@code results} at {@code rb} (added to it when {@code accumulate}): 4-vector tiles, a 2-vector one when at most 2 remain. */
    private static void rowOf6(float[] x, int xb, int chStride, int[] taps, int red, float[] w, int wb,
                               float[] results, int rb, int rowFloats, int outW, boolean accumulate) {
        for (int ow = 0; ow < outW; ow += NR) {
            if (outW - ow <= 2) {
                MicroKernels.conv6x2(x, xb + ow * LANES, chStride, taps, taps.length, red, w, wb, 1, MR, 0, results,
                        rb + ow * LANES, rowFloats, accumulate);
            } else {
                MicroKernels.conv6x4(x, xb + ow * LANES, chStride, taps, taps.length, red, w, wb, 1, MR, 0, results,
                        rb + ow * LANES, rowFloats, accumulate);
            }
        }
    }

    /**
     * One output row of an 8-output panel into {@code results} at {@code rb} (added when {@code accumulate}): 3-vector tiles, and 2-vector ones where
     * 4 or 2 vectors remain (10 = 3 + 3 + 2 + 2), so no vector past the row is computed except on rows of
     * one vector (within the margins of the packed input and of {@code results}).
     */
    private static void rowOf8(float[] x, int xb, int chStride, int[] taps, int red, float[] w, int wb,
                               float[] results, int rb, int rowFloats, int outW, boolean accumulate) {
        for (int ow = 0; ow < outW; ) {
            int rest = outW - ow;
            if (rest == 4 || rest <= 2) {
                LaneKernels.conv8x2(x, xb + ow * LANES, chStride, taps, taps.length, red, w, wb, results,
                        rb + ow * LANES, rowFloats, accumulate);
                ow += 2;
            } else {
                LaneKernels.conv8x3(x, xb + ow * LANES, chStride, taps, taps.length, red, w, wb, results,
                        rb + ow * LANES, rowFloats, accumulate);
                ow += 3;
            }
        }
    }

    /**
     * The weight gradient: input and output gradient of each block packed with the images along the
     * vectors, {@code dW[k][c][t] = sum over blocks, rows, columns of dy[k][oh][ow] . x[c][oh + r][ow + s]}
     * (lane-wise products summed, lanes added once per block).
     */
    static void weightGradient(ConvGeometry g, float[] src, float[] dy, float[] dw) {
        ConvPlan plan = ConvPlan.forward(g);
        int threads = ConvEngines.threads();
        Workspace ws = Workspace.acquire();
        try {
            int taps = plan.taps(), c = g.c(), k = g.k();
            int ph = plan.paddedH(), pw = plan.paddedW(), outH = g.outH(), outW = g.outW();
            int chStride = ph * pw * LANES;
            int columns = c * taps;
            GradientTile tile = GradientTile.choose(k, columns);
            int kPad = PlaneLayout.ceilDiv(k, tile.rows()) * tile.rows();
            int colTiles = PlaneLayout.ceilDiv(columns, tile.cols());
            int[] colOff = new int[colTiles * tile.cols()]; // padding columns read channel 0, tap 0 and are dropped
            for (int j = 0; j < columns; j++) {
                int t = j % taps;
                colOff[j] = (j / taps) * chStride
                        + ((t / g.s()) * plan.dilationH() * pw + (t % g.s()) * plan.dilationW()) * LANES;
            }
            int xFloats = c * chStride;
            int yStride = outH * outW * LANES; // one output channel of a block
            int yFloats = kPad * yStride;
            int weights = k * columns;
            int blocks = PlaneLayout.ceilDiv(g.n(), LANES);
            int perChunk = Math.max(1, Math.min(WeightGradient.PARTIAL_BUDGET / weights,
                    DirectConvolution.CHUNK_BUDGET / (xFloats + yFloats)));
            int[][] srcMaps = laneMaps(c * g.h() * g.w(), g.n());
            int[][] dyMaps = laneMaps(k * outH * outW, g.n());
            int kPanels = kPad / tile.rows();
            int cTasks = PlaneLayout.ceilDiv(colTiles, COLUMN_TILES_PER_TASK);
            int tileFloats = tile.floats();
            int rowStep = Math.max(1, GRADIENT_STEP_FLOATS / (tile.rows() * outW * LANES));
            for (int b0 = 0; b0 < blocks; b0 += perChunk) {
                int first = b0, count = Math.min(perChunk, blocks - b0);
                float[] x = ws.input = Workspace.grow(ws.input, count * xFloats);
                float[] y = ws.gradOutput = Workspace.grow(ws.gradOutput, count * yFloats);
                float[] partial = ws.weights = Workspace.grow(ws.weights, count * weights);
                Parallel.forEach(count * (c + kPad), threads, task -> {
                    int blk = task / (c + kPad), ch = task % (c + kPad), n0 = (first + blk) * LANES;
                    if (ch < c) {
                        packLanes(src, g.n(), c, g.h(), g.w(), ch, n0, plan.top(), plan.left(), ph, pw, map(srcMaps, n0, g.n()), x,
                                blk * xFloats + ch * chStride);
                    } else if (ch - c < k) {
                        packLanes(dy, g.n(), k, outH, outW, ch - c, n0, 0, 0, outH, outW, map(dyMaps, n0, g.n()), y,
                                blk * yFloats + (ch - c) * yStride);
                    } else { // padding rows of the last panel
                        Arrays.fill(y, blk * yFloats + (ch - c) * yStride, blk * yFloats + (ch - c + 1) * yStride, 0f);
                    }
                });
                Parallel.forEach(count * kPanels * cTasks, threads, task -> {
                    int ct0 = task % cTasks * COLUMN_TILES_PER_TASK, kp = task / cTasks % kPanels;
                    int blk = task / cTasks / kPanels;
                    int ctN = Math.min(COLUMN_TILES_PER_TASK, colTiles - ct0);
                    float[] acc = Workspace.task(Workspace.RESULTS, ctN * tileFloats);
                    Arrays.fill(acc, 0, ctN * tileFloats, 0f);
                    int yb = blk * yFloats + kp * tile.rows() * yStride;
                    for (int oh = 0; oh < outH; oh += rowStep) { // the step's output-gradient rows stay in L1 across the column tiles
                        int rows = Math.min(rowStep, outH - oh);
                        for (int ct = 0; ct < ctN; ct++) {
                            tile.accumulate(y, yb + oh * outW * LANES, yStride, x, blk * xFloats + oh * pw * LANES, colOff,
                                    (ct0 + ct) * tile.cols(), outW * LANES, rows, outW * LANES, pw * LANES, acc,
                                    ct * tileFloats);
                        }
                    }
                    for (int m = 0; m < tile.rows(); m++) {
                        int o = kp * tile.rows() + m;
                        for (int ct = 0; ct < ctN && o < k; ct++) {
                            for (int j = 0; j < tile.cols(); j++) {
                                int col = (ct0 + ct) * tile.cols() + j;
                                if (col < columns) {
                                    partial[blk * weights + o * columns + col] = tile.sum(acc, ct * tileFloats, m, j);
                                }
                            }
                        }
                    }
                });
                WeightGradient.addPartials(partial, count, weights, dw, b0 == 0, threads);
            }
        } finally {
            ws.release();
        }
    }

    /**
     * For every output row, the range {@code [first, end)} of kernel rows whose input row lies inside the
     * source (the others meet only zero padding), numbered as distinct variants, with the offset of each
     * variant's packed weights ({@code panels} panels of {@code floatsPerTapRow * S} floats per kernel row).
     */
    private record KernelRows(int[] variantOfRow, int[] firsts, int[] ends, int[] offsets, int weightFloats) {
        static KernelRows of(ConvPlan plan, int floatsPerTap, int panels) {
            int outH = plan.outH(), r = plan.r();
            int[] variantOfRow = new int[outH];
            int[] byKey = new int[(r + 1) * (r + 1)];
            Arrays.fill(byKey, -1);
            int[] firsts = new int[byKey.length], ends = new int[byKey.length], offsets = new int[byKey.length];
            int count = 0, total = 0;
            for (int oh = 0; oh < outH; oh++) {
                int first = 0, end = r;
                while (first < end && oh + first * plan.dilationH() - plan.top() < 0) {
                    first++;
                }
                while (end > first && oh + (end - 1) * plan.dilationH() - plan.top() >= plan.srcH()) {
                    end--;
                }
                int key = first * (r + 1) + end;
                if (byKey[key] < 0) {
                    byKey[key] = count;
                    firsts[count] = first;
                    ends[count] = end;
                    offsets[count] = total;
                    total += panels * floatsPerTap * (end - first) * plan.s();
                    count++;
                }
                variantOfRow[oh] = byKey[key];
            }
            return new KernelRows(variantOfRow, Arrays.copyOf(firsts, count), Arrays.copyOf(ends, count),
                    Arrays.copyOf(offsets, count), total);
        }

        int count() {
            return firsts.length;
        }

        int ofRow(int oh) {
            return variantOfRow[oh];
        }

        int first(int v) {
            return firsts[v];
        }

        int end(int v) {
            return ends[v];
        }

        int weightOffset(int v) {
            return offsets[v];
        }
    }
}
