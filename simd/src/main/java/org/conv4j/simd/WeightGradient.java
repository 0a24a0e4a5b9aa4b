package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.Parallel;
import org.conv4j.core.Tensor;

/**
 * The weight and bias gradients. With the input packed exactly as for the forward pass
 * ({@link PlaneLayout}) and the output gradient spread over the same flat positions (zero at the
 * positions the forward pass throws away), every weight gradient is a dot product of two contiguous
 * runs: {@code dW[k][c][t] = sum over p of dy[k][p] * x[c][taps[t] + p]}. That is a GEMM with the
 * reduction along the positions: register tiles of a few output channels x a few (channel, tap)
 * columns accumulate lane-wise over position blocks and are reduced across lanes once at the end.
 *
 * <p>The batch is cut into slices of a fixed number of images that depends only on the shape (never
 * on the thread count). Each slice is packed on its own and yields partial gradients, which are added
 * slice after slice in a fixed order: small layers with few output channels (LeNet: 6 or 16) get
 * enough independent tasks for every thread, and the result is bit-identical for any thread count.
 */
final class WeightGradient {
    /** Flat positions per block: 16 output-gradient rows plus ~8 channels of input rows, 256 floats each, stay in the 48 KiB L1 while every tile of a task sweeps them. */
    static final int POSITION_BLOCK = 256;
    /** Output-channel panels per task (16 rows of the output gradient with 4-row panels). */
    static final int PANELS_PER_TASK = 4;
    /** Column tiles per task (48 (channel, tap) columns with 6-column tiles: about 5 channels of a 3x3 kernel). */
    static final int COLUMN_TILES_PER_TASK = 8;

    /** Output channels per group from which the transposed form is used: one 64-channel register tile is then at least full. */
    static final int TRANSPOSED_MIN_OUTPUTS = 64;
    /** Positions per block in the transposed form: 128 positions x 64 channels of the output gradient (32 KiB) stay in L1 across a task's column tiles. */
    static final int TRANSPOSED_POSITION_BLOCK = 128;

    /** At most this many batch slices: enough tasks for a few threads on layers with one or two weight tiles (LeNet conv1: 6 x 25 weights). */
    static final int MAX_SLICES = 8;
    /** At least this many flat positions per slice, so the per-slice lane reductions and partial sums stay small next to the arithmetic. */
    static final int MIN_SLICE_POSITIONS = 4096;
    /** Floats of partial weight gradients per chunk (4 MiB): bounds the slices of layers with many weights. */
    static final int PARTIAL_BUDGET = 1 << 20;

    private WeightGradient() {
    }

    static void run(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] db) {
        ConvPlan plan = ConvPlan.forward(g);
        int threads = ConvEngines.threads();
        if (db != null) {
            biasGradient(g, dy, db, threads);
        }
        if (FullyConnected.applies(g)) {
            FullyConnected.backwardWeight(g, x, dy, dw);
            return;
        }
        if (ShiftedPlanesWeightGradient.applies(g)) {
            ShiftedPlanesWeightGradient.run(g, x, dy, dw);
            return;
        }
        if (ImageLanesConvolution.appliesToWeightGradient(g)) {
            ImageLanesConvolution.weightGradient(g, x, dy, dw);
            return;
        }
        if (DepthwiseWeightGradient.applies(g)) {
            DepthwiseWeightGradient.run(g, x, dy, dw, threads);
            // Its edge strips also multiply inputs past the row by zero gradients; a NaN anywhere in the
            // (small: channels x taps) result sends the call to the reference, like the flat forms below.
            if (!MicroKernels.allFinite(dw)) {
                referenceGradient(g, x, dy, dw);
            }
            return;
        }
        // Both forms below also sum the flat layout's junk positions (when there are any), where the output
        // gradient is zero but the input is not: an infinite or NaN input read there gives 0 * inf = NaN in
        // weights whose true gradient is finite. Such inputs (rare: a diverged run) take the reference. The
        // smaller of input and result is scanned: a finite input cannot go wrong, and a result without NaN did not.
        PlaneLayout one = sliceLayout(plan, 1);
        boolean junk = one.cols() > g.outW() || one.rows() > g.outH();
        boolean scanInput = junk && x.length <= dw.length;
        if (scanInput && !MicroKernels.allFinite(x)) {
            referenceGradient(g, x, dy, dw);
            return;
        }
        Workspace ws = Workspace.acquire();
        try {
            int perImage = plan.srcChannels() * one.channelStride() + g.k() * plan.paddedH() * plan.paddedW();
            int sliceImages = sliceImages(g, plan, perImage);
            int weights = dw.length;
            int slicesPerChunk = Math.max(1, Math.min(PARTIAL_BUDGET / weights,
                    DirectConvolution.CHUNK_BUDGET / (perImage * sliceImages)));
            int chunk = slicesPerChunk * sliceImages;
            for (int n0 = 0; n0 < g.n(); n0 += chunk) {
                runChunk(g, plan, x, dy, dw, n0, Math.min(chunk, g.n() - n0), sliceImages, ws, threads);
            }
        } finally {
            ws.release();
        }
        if (junk && !scanInput && !MicroKernels.allFinite(dw)) {
            referenceGradient(g, x, dy, dw);
        }
    }

    /**
     * The layout of a slice of {@code images} images: {@link DirectConvolution#smallPlaneCopies} where they
     * apply, which drop the junk positions from the reduction (ResNet 14x14: 196 positions instead of 222)
     * for three times the input packing; else the flat layout. Medians in alternating A/B rounds: ResNet
     * 14x14 2.21-2.26 → 1.82-2.10 ms, LeNet conv2 (slices of 10x10 outputs) 348-357 → 309-313 us.
     */
    private static PlaneLayout sliceLayout(ConvPlan plan, int images) {
        PlaneLayout flat = PlaneLayout.of(images, plan.paddedH(), plan.paddedW(), plan.strideH(), plan.strideW());
        PlaneLayout copies = DirectConvolution.smallPlaneCopies(plan, images, flat);
        return copies != null ? copies : flat;
    }

    /** The weight gradient by the naive engine (the double-precision reference), on the same arrays. */
    private static void referenceGradient(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        new NaiveConvEngine().backwardWeight(Tensor.wrap(x, g.inputShape()), Tensor.wrap(dy, g.outputShape()),
                g.spec(), Tensor.wrap(dw, g.weightShape()), null);
    }

    /** Images per slice: a function of the shape only, so the summation order never depends on the threads. */
    static int sliceImages(ConvGeometry g, ConvPlan plan, int packedPerImage) {
        int perImage = PlaneLayout.of(1, plan.paddedH(), plan.paddedW(), plan.strideH(), plan.strideW()).imageStride();
        int images = Math.max(PlaneLayout.ceilDiv(g.n(), MAX_SLICES), PlaneLayout.ceilDiv(MIN_SLICE_POSITIONS, perImage));
        images = Math.min(images, Math.max(1, DirectConvolution.CHUNK_BUDGET / packedPerImage));
        int slices = PlaneLayout.ceilDiv(g.n(), Math.min(g.n(), images));
        return PlaneLayout.ceilDiv(g.n(), slices); // balanced: 64 images in 4 slices of 16, not 21+21+21+1
    }

    /**
     * One batch slice, packed on its own: its input channels at {@code xOff} in {@link PlaneLayout}
     * order, its output gradient at {@code yOff} (rows over the flat positions, or transposed).
     */
    private record Slice(int n0, PlaneLayout layout, int[] colOff, int maxTap, int xOff, int yOff, int positions) {
    }

    private static void runChunk(ConvGeometry g, ConvPlan plan, float[] src, float[] dy, float[] dw, int n0,
                                 int images, int sliceImages, Workspace ws, int threads) {
        int taps = plan.taps(), cg = g.cPerGroup(), kg = g.kPerGroup(), groups = g.groups();
        int columns = cg * taps;
        boolean transposed = kg >= TRANSPOSED_MIN_OUTPUTS;
        GradientTile tile = GradientTile.choose(kg, columns);
        int kPad = transposed ? roundUp(kg, MicroKernels.NR * LANES) : roundUp(kg, tile.rows());
        int colTile = transposed ? MicroKernels.MR : tile.cols();
        int colPad = roundUp(columns, colTile);

        // A 1x1 kernel at stride 1 without padding, one image per slice: the flat layout of a slice is its
        // image's NCHW planes, so the transposed form reads the input where it is (a packed copy of the
        // ResNet-50 1x1 layer's 3.2 MB input took a quarter of its weight gradient).
        boolean inPlace = transposed && sliceImages == 1 && plan.r() == 1 && plan.s() == 1 && plan.strideH() == 1
                && plan.strideW() == 1 && plan.upH() == 1 && plan.upW() == 1 && plan.top() == 0 && plan.left() == 0
                && plan.paddedH() == plan.srcH() && plan.paddedW() == plan.srcW();
        int sliceCount = PlaneLayout.ceilDiv(images, sliceImages);
        Slice[] slices = new Slice[sliceCount];
        int xOff = 0, yOff = 0;
        for (int s = 0; s < sliceCount; s++) {
            int count = Math.min(sliceImages, images - s * sliceImages);
            PlaneLayout layout = sliceLayout(plan, count);
            int[] tapOff = plan.tapOffsets(layout);
            int[] colOff = new int[colPad]; // padding columns read channel 0, tap 0 and are dropped
            for (int j = 0; j < columns; j++) {
                colOff[j] = (j / taps) * layout.channelStride() + tapOff[j % taps];
            }
            int maxTap = Arrays.stream(tapOff).max().orElse(0);
            int positions = layout.positions(g.outH(), g.outW());
            int at = inPlace ? (n0 + s) * g.c() * layout.channelStride() : xOff;
            slices[s] = new Slice(n0 + s * sliceImages, layout, colOff, maxTap, at, yOff, positions);
            xOff += g.c() * layout.channelStride() + maxTap + LANES;
            yOff += groups * (transposed ? positions * kPad : kPad * roundUp(layout.phaseStride(), LANES));
        }
        float[] x = inPlace ? src : (ws.input = Workspace.grow(ws.input, xOff));
        float[] y = ws.gradOutput = Workspace.grow(ws.gradOutput, yOff);
        if (!inPlace) {
            Parallel.forEach(sliceCount * g.c(), threads, task -> packInput(plan, src, slices[task / g.c()],
                    task % g.c(), x));
        }
        if (transposed) {
            int rowsPerSlice = groups * g.outH();
            Parallel.forEach(sliceCount * rowsPerSlice, threads, task -> packTransposed(g, dy,
                    slices[task / rowsPerSlice], task % rowsPerSlice, kPad, y));
        } else {
            int rowsPerSlice = groups * kPad;
            Parallel.forEach(sliceCount * rowsPerSlice, threads, task -> packGradRow(g, dy, slices[task / rowsPerSlice],
                    task / kPad % groups, task % kPad, kPad, y));
        }

        // One slice writes its gradient straight into dw; several write partials, added in slice order below.
        boolean first = n0 == 0;
        boolean direct = sliceCount == 1;
        int weights = groups * kg * columns;
        float[] target = direct ? dw : (ws.weights = Workspace.grow(ws.weights, sliceCount * weights));
        if (transposed) {
            runTransposed(g, slices, x, y, kPad, columns, target, direct, first, threads);
        } else {
            runRows(g, tile, slices, x, y, kPad, columns, target, direct, first, threads);
        }
        if (!direct) {
            addPartials(target, sliceCount, weights, dw, first, threads);
        }
    }

    /** {@code dw[i] (+)= partials[0*weights + i] + partials[1*weights + i] + ...}, always in that order (first: dw overwritten). */
    static void addPartials(float[] partials, int count, int weights, float[] dw, boolean first, int threads) {
        int block = 4096; // weights per task
        Parallel.forEach(PlaneLayout.ceilDiv(weights, block), threads, task -> {
            for (int i = task * block, end = Math.min(weights, i + block); i < end; i++) {
                float sum = partials[i];
                for (int s = 1; s < count; s++) {
                    sum += partials[s * weights + i];
                }
                dw[i] = first ? sum : dw[i] + sum;
            }
        });
    }

    /** The form with the positions along the vectors: tasks are (slice, group, output-panel block, column-tile block). */
    private static void runRows(ConvGeometry g, GradientTile tile, Slice[] slices, float[] x, float[] y, int kPad, int columns,
                                float[] target, boolean direct, boolean first, int threads) {
        int cg = g.cPerGroup(), kg = g.kPerGroup(), groups = g.groups(), taps = g.r() * g.s();
        int gm = tile.rows(), gn = tile.cols();
        int kPanels = kPad / gm;
        int colTiles = PlaneLayout.ceilDiv(columns, gn);
        int kTasks = PlaneLayout.ceilDiv(kPanels, PANELS_PER_TASK);
        int cTasks = PlaneLayout.ceilDiv(colTiles, COLUMN_TILES_PER_TASK);
        int tileFloats = tile.floats();
        int weights = groups * kg * columns;
        Parallel.forEach(slices.length * groups * kTasks * cTasks, threads, task -> {
            int ct0 = (task % cTasks) * COLUMN_TILES_PER_TASK;
            int kp0 = (task / cTasks % kTasks) * PANELS_PER_TASK;
            int grp = task / cTasks / kTasks % groups;
            Slice sl = slices[task / cTasks / kTasks / groups];
            int ctN = Math.min(COLUMN_TILES_PER_TASK, colTiles - ct0);
            int kpN = Math.min(PANELS_PER_TASK, kPanels - kp0);
            float[] acc = Workspace.task(Workspace.RESULTS, kpN * ctN * tileFloats);
            Arrays.fill(acc, 0, kpN * ctN * tileFloats, 0f);
            int rowStride = roundUp(sl.layout().phaseStride(), LANES);
            int length = roundUp(sl.positions(), LANES);
            int xb = sl.xOff() + grp * cg * sl.layout().channelStride();
            for (int p = 0; p < length; p += POSITION_BLOCK) {
                int len = Math.min(POSITION_BLOCK, length - p);
                for (int kp = 0; kp < kpN; kp++) {
                    int yb = sl.yOff() + (grp * kPad + (kp0 + kp) * gm) * rowStride + p;
                    for (int ct = 0; ct < ctN; ct++) {
                        int ab = (kp * ctN + ct) * tileFloats;
                        int col0 = (ct0 + ct) * gn;
                        tile.accumulate(y, yb, rowStride, x, xb + p, sl.colOff(), col0, len, 1, 0, 0, acc, ab);
                    }
                }
            }
            int out = direct ? 0 : (task / cTasks / kTasks / groups) * weights;
            for (int kp = 0; kp < kpN; kp++) {
                for (int ct = 0; ct < ctN; ct++) {
                    for (int m = 0; m < gm; m++) {
                        int k = (kp0 + kp) * gm + m;
                        for (int j = 0; j < gn; j++) {
                            int col = (ct0 + ct) * gn + j;
                            if (k < kg && col < columns) {
                                float v = tile.sum(acc, (kp * ctN + ct) * tileFloats, m, j);
                                int idx = out + ((grp * kg + k) * cg + col / taps) * taps + col % taps;
                                target[idx] = first || !direct ? v : target[idx] + v;
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
    private static void runTransposed(ConvGeometry g, Slice[] slices, float[] x, float[] y, int kPad, int columns,
                                      float[] target, boolean direct, boolean first, int threads) {
        int cg = g.cPerGroup(), kg = g.kPerGroup(), groups = g.groups();
        int kTile = MicroKernels.NR * LANES;
        int kTiles = kPad / kTile;
        int colTiles = PlaneLayout.ceilDiv(columns, MicroKernels.MR);
        int cTasks = PlaneLayout.ceilDiv(colTiles, COLUMN_TILES_PER_TASK);
        int tileFloats = MicroKernels.MR * kTile;
        int weights = groups * kg * columns;
        int[] columnIndex = new int[COLUMN_TILES_PER_TASK * MicroKernels.MR]; // where column j of a task's tiles sits
        for (int j = 0; j < columnIndex.length; j++) {
            columnIndex[j] = j / MicroKernels.MR * tileFloats + j % MicroKernels.MR * kTile;
        }
        Parallel.forEach(slices.length * groups * kTiles * cTasks, threads, task -> {
            int ct0 = (task % cTasks) * COLUMN_TILES_PER_TASK;
            int kt = task / cTasks % kTiles;
            int grp = task / cTasks / kTiles % groups;
            int s = task / cTasks / kTiles / groups;
            Slice sl = slices[s];
            int ctN = Math.min(COLUMN_TILES_PER_TASK, colTiles - ct0);
            float[] acc = Workspace.task(Workspace.RESULTS, ctN * tileFloats);
            Arrays.fill(acc, 0, ctN * tileFloats, 0f);
            int positions = sl.positions();
            int xb = sl.xOff() + grp * cg * sl.layout().channelStride();
            int yb = sl.yOff() + grp * positions * kPad + kt * kTile;
            for (int p = 0; p < positions; p += TRANSPOSED_POSITION_BLOCK) {
                int len = Math.min(TRANSPOSED_POSITION_BLOCK, positions - p);
                for (int ct = 0; ct < ctN; ct++) {
                    MicroKernels.gradT6x4(y, yb + p * kPad, kPad, x, xb + p, sl.colOff(), (ct0 + ct) * MicroKernels.MR,
                            len, acc, ct * tileFloats);
                }
            }
            int out = direct ? 0 : s * weights;
            int col0 = ct0 * MicroKernels.MR, count = Math.min(columns, (ct0 + ctN) * MicroKernels.MR) - col0;
            int kEnd = Math.min(kTile, kg - kt * kTile);
            boolean add = direct && !first;
            for (int i = 0; i < kEnd; i++) { // dW[k][c][t] = dW[k][col]: each k's columns are one run
                writeRow(acc, i, columnIndex, count, target, out + (grp * kg + kt * kTile + i) * columns + col0, add);
            }
        });
    }

    /**
     * Writes (or adds) {@code count} results of one output channel, {@code acc[i + columnIndex[j]]}, to
     * {@code target[to + j]}: the accumulators hold [column tile][row][channel], the weights [channel][column],
     * so a vector of one channel's columns is a gather. Element by element this transpose took a fifth of
     * ResNet's 14x14 weight gradient.
     */
    private static void writeRow(float[] acc, int i, int[] columnIndex, int count, float[] target, int to,
                                 boolean add) {
        int j = 0;
        for (int end = count - LANES; j <= end; j += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, acc, i, columnIndex, j);
            if (add) {
                v = v.add(FloatVector.fromArray(SPECIES, target, to + j));
            }
            v.intoArray(target, to + j);
        }
        for (; j < count; j++) {
            float v = acc[i + columnIndex[j]];
            target[to + j] = add ? target[to + j] + v : v;
        }
    }

    /** Input channel {@code c} of a slice in {@link PlaneLayout} order, and the zeroed margin after the last channel. */
    private static void packInput(ConvPlan plan, float[] src, Slice sl, int c, float[] x) {
        PlaneLayout layout = sl.layout();
        int chStride = layout.channelStride();
        int srcPlane = plan.srcH() * plan.srcW();
        int channels = plan.srcChannels();
        layout.pack(src, (sl.n0() * channels + c) * srcPlane, channels * srcPlane, plan.srcH(), plan.srcW(),
                plan.upH(), plan.upW(), plan.top(), plan.left(), x, sl.xOff() + c * chStride);
        if (c == channels - 1) {
            int end = sl.xOff() + channels * chStride; // read (times zero gradients) past the last position
            Arrays.fill(x, end, end + sl.maxTap() + LANES, 0f);
        }
    }

    /** One row of the packed output gradient of a slice: output channel {@code k} of group {@code grp} at the flat positions, zeros elsewhere (and for padding rows). */
    private static void packGradRow(ConvGeometry g, float[] dy, Slice sl, int grp, int k, int kPad, float[] dst) {
        PlaneLayout layout = sl.layout();
        int rowStride = roundUp(layout.phaseStride(), LANES);
        int off = sl.yOff() + (grp * kPad + k) * rowStride;
        Arrays.fill(dst, off, off + rowStride, 0f);
        if (k >= g.kPerGroup()) {
            return;
        }
        int plane = g.outH() * g.outW();
        for (int img = 0; img < layout.images(); img++) {
            int from = ((sl.n0() + img) * g.k() + grp * g.kPerGroup() + k) * plane;
            int to = off + img * layout.imageStride();
            for (int oh = 0; oh < g.outH(); oh++) {
                System.arraycopy(dy, from + oh * g.outW(), dst, to + oh * layout.cols(), g.outW());
            }
        }
    }

    /** Output row {@code oh} of every image of a slice (task = group * outH + oh), transposed to [position][channel]; the last row of an image also clears the junk rows below it. */
    private static void packTransposed(ConvGeometry g, float[] dy, Slice sl, int task, int kPad, float[] dyT) {
        PlaneLayout layout = sl.layout();
        int outH = g.outH(), outW = g.outW(), cols = layout.cols(), kg = g.kPerGroup();
        int oh = task % outH, grp = task / outH;
        int plane = outH * outW;
        int positions = sl.positions();
        int base = sl.yOff() + grp * positions * kPad;
        for (int img = 0; img < layout.images(); img++) {
            int from = img * layout.imageStride() + oh * cols;
            int to = Math.min(positions, oh == outH - 1 ? (img + 1) * layout.imageStride() : from + cols);
            Arrays.fill(dyT, base + from * kPad, base + to * kPad, 0f);
            int src = ((sl.n0() + img) * g.k() + grp * kg) * plane + oh * outW;
            // Channel by channel: each reads one contiguous row of dy, and the writes (kPad apart) stay within
            // this output row's block of dyT (outW x kPad floats). Position by position, the reads were a
            // plane apart (50 KB on the stem) and the transpose took a quarter of the stem's weight gradient.
            for (int k = 0, from0 = base + from * kPad; k < kg; k++) {
                for (int ow = 0, at = from0 + k; ow < outW; ow++, at += kPad) {
                    dyT[at] = dy[src + k * plane + ow];
                }
            }
        }
    }

    /** {@code db[k] = sum over images and output pixels of dy}, image by image in order; one task per output channel. */
    private static void biasGradient(ConvGeometry g, float[] dy, float[] db, int threads) {
        int plane = g.outH() * g.outW();
        Parallel.forEach(g.k(), threads, k -> {
            float sum = 0f;
            for (int n = 0; n < g.n(); n++) {
                int from = (n * g.k() + k) * plane;
                sum += MicroKernels.sum(dy, from, from + plane);
            }
            db[k] = sum;
        });
    }

    private static int roundUp(int v, int multiple) {
        return PlaneLayout.ceilDiv(v, multiple) * multiple;
    }
}
