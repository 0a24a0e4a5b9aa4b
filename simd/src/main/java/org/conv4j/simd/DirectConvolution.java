package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.MR;
import static org.conv4j.simd.MicroKernels.TILE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;

/**
 * Runs a {@link ConvPlan} (the forward pass or the input gradient) as a direct convolution, GotoBLAS
 * style without a lowered copy of the input:
 * <ol>
 *   <li>pack the weights once per call into panels of {@link MicroKernels#MR} output channels x
 *       (reduction channel, tap), so the weights one tap needs are adjacent (on small planes, where each
 *       weight is used by one task, full panels are read in place instead);</li>
 *   <li>pack a chunk of images into a {@link PlaneLayout} (padding, stride phases, upsampling done
 *       once, so the kernel's loads are contiguous and unchecked);</li>
 *   <li>cut the flat output positions into blocks of tiles and hand out (group, block, range of
 *       panels) tasks; each task runs its reduction in blocks whose input rows stay in L1 while every
 *       panel and tile of the task revisits them, accumulating in a per-thread scratch, then scatters
 *       the valid positions into the NCHW output, adding the bias.</li>
 * </ol>
 * Every output element is computed whole by one task in a fixed order, so results do not depend on
 * the number of threads.
 */
final class DirectConvolution {
    /** Packed input floats per image chunk: 4 Mi floats (16 MiB), enough for batch 8 of 64x56x56 and bounded for any batch. */
    static final int CHUNK_BUDGET = 1 << 22;
    /** Packed input floats of one block of a 1x1 GEMM: 256 Ki floats (1 MiB), half the 2 MiB L2, so a block stays in L2 across all panels. */
    static final int BLOCK_BUDGET = 1 << 18;
    /** At most 64 tiles (4096 positions) per block of a GEMM, whose results (6 x 4096 floats, 96 KiB) stay in L2 until scattered. */
    static final int MAX_TILES_PER_BLOCK = 64;
    /** Result floats of one task of the direct convolution at most (all its panels x its block): 256 Ki floats (1 MiB), within L2. */
    static final int RESULTS_BUDGET = 1 << 18;
    /** Taps x channels per kernel call at least (a reduction block): enough FMAs (128 x 24) to hide loading and storing the 24 accumulators. */
    static final int MIN_KERNEL_STEPS = 128;
    /** Input floats of one reduction block of a task: 4 Ki floats (16 KiB), a third of the 48 KiB L1, so they stay there across every panel while the weights stream through. */
    static final int L1_INPUT_BUDGET = 1 << 12;
    /**
     * Input floats of one reduction block of a small plane (whole planes of its channels) at most: 6 Ki
     * floats (24 KiB), half of L1. Binds only for {@link PlaneLayout#columnCopies} (ResNet 14x14: 9 channels
     * of 3 copies; 15 channels, 40 KiB, ran 3 % slower in median than 8); flat small planes fit 15 in 16 KiB.
     */
    static final int SMALL_PLANE_INPUT_BUDGET = 6 << 10;
    /** Position tiles up to which a plane is one block (ResNet 14x14: 4 tiles, 7x7: 1), whatever its input size: then each weight is used by one task and packed there. */
    static final int SMALL_PLANE_TILES = 8;
    /** Reduction channels up to which few-output groups are packed per task: beyond it the packing is worth sharing. */
    static final int PER_GROUP_MAX_REDUCTION = 16;
    /** Packed weight floats up to which one thread packs them all (64 Ki floats, 256 KiB: ~15 us). */
    static final int SMALL_WEIGHTS = 1 << 16;
    /** Channels per packing task of the shared 1x1 packing. */
    static final int PACK_CHANNELS = 256;
    /** Tasks per thread to aim for, so that uneven tasks even out. */
    static final int TASKS_PER_THREAD = 4;

    private DirectConvolution() {
    }

    static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        run(List.of(plan), src, weights, bias, out);
    }

    /**
     * Runs plans that read the same source packed the same way (the phases of an input gradient) into
     * one output: the source is packed once for all of them when it fits in one chunk.
     */
    static void run(List<ConvPlan> plans, float[] src, float[] weights, float[] bias, float[] out) {
        int threads = ConvEngines.threads();
        Workspace ws = Workspace.acquire();
        try {
            List<ConvPlan> direct = new ArrayList<>();
            for (ConvPlan plan : plans) {
                if (plan.taps() == 0) {
                    zeroFill(plan, out);
                } else if (!runWithOwnPacking(plan, src, weights, bias, out, ws, threads)) {
                    direct.add(plan);
                }
            }
            if (direct.isEmpty()) {
                return;
            }
            ConvPlan first = direct.getFirst();
            int batch = first.batch();
            int chunk = Math.max(1, Math.min(batch, CHUNK_BUDGET / PackedChunk.floatsPerImage(first)));
            int margin = TILE + direct.stream().mapToInt(p -> maxTap(p, PlaneLayout.forPlan(p, 1))).max().orElse(0);
            PlaneLayout layout = chunk < batch ? null : sharedLayout(direct, batch);
            PackedChunk shared = layout == null ? null
                    : PackedChunk.pack(first, layout, src, 0, batch, ws.input, margin, threads);
            if (shared != null) {
                ws.input = shared.data();
            }
            // Every plan's weights packed in one parallel loop, then every plan's tasks in one more: the phases
            // of an input gradient share two fork/joins instead of two each.
            List<Job> jobs = new ArrayList<>();
            int weightFloats = 0;
            for (ConvPlan plan : direct) {
                Job job = Job.of(plan, shared != null ? layout : PlaneLayout.forPlan(plan, batch), shared != null,
                        weightFloats, threads);
                jobs.add(job);
                weightFloats += job.packInTasks() ? 0 : job.weightFloats();
            }
            float[] packedW = ws.weights = Workspace.grow(ws.weights, weightFloats);
            List<Tasks> packing = new ArrayList<>();
            for (Job job : jobs) {
                if (!job.packInTasks()) {
                    packing.add(job.packingTasks(weights, packedW));
                }
            }
            // Small weights are packed by the caller alone: at 2 threads the fork/join cost more than the
            // packing (resnet-64, 37 K floats: 21-36 against 9-10 us).
            Tasks.runAll(packing, weightFloats <= SMALL_WEIGHTS ? 1 : threads);
            if (shared != null) {
                List<Tasks> compute = new ArrayList<>();
                for (Job job : jobs) {
                    compute.add(chunkTasks(job, shared, 0, job.packInTasks() ? null : packedW, weights, bias, out));
                }
                Tasks.runAll(compute, threads);
            } else {
                for (Job job : jobs) {
                    for (int n0 = 0; n0 < batch; n0 += chunk) {
                        int images = Math.min(chunk, batch - n0);
                        PlaneLayout part = PlaneLayout.forPlan(job.plan(), images);
                        PackedChunk packed = PackedChunk.pack(job.plan(), part, src, n0, images, ws.input, margin,
                                threads);
                        ws.input = packed.data();
                        Job partJob = Job.of(job.plan(), part, false, job.weightOffset(), threads);
                        Tasks.runAll(List.of(chunkTasks(partJob, packed, n0, packedW, weights, bias, out)), threads);
                    }
                }
            }
        } finally {
            ws.release();
        }
    }

    /** Rows of the register tile: one or two outputs per group (depthwise) one, three (an RGB input's gradient) three, else {@link MicroKernels#MR}. */
    private static int rows(ConvPlan plan) {
        return plan.outputs() <= 2 ? 1 : plan.outputs() == 3 ? 3 : MR;
    }

    /**
     * One plan's share of a call: its register tile rows, weight panels (packed at {@code weightOffset}
     * of the call's packed weights, unless {@code packInTasks}) and schedule for {@code images} images.
     */
    private record Job(ConvPlan plan, int mr, int panels, int panelSize, WeightPanels packer, Schedule schedule,
                       boolean packInTasks, int weightOffset) {
        static Job of(ConvPlan plan, PlaneLayout layout, boolean oneChunk, int weightOffset, int threads) {
            int mr = rows(plan);
            int panels = PlaneLayout.ceilDiv(plan.outputs(), mr);
            Schedule schedule = Schedule.of(plan, layout, mr, panels, threads);
            // When one task computes all positions of a panel (small planes: ResNet's 14x14, 7x7), each
            // weight is used by one task only: instead of a separate pass writing (and re-reading) a packed
            // copy of all weights (2.4 MB at 256 channels), that task reads full panels in place where it
            // can (inPlace()) and packs the rest per reduction block into L1.
            boolean packInTasks = mr != 1 && oneChunk && schedule.blockCount() == 1;
            WeightPanels packer = new WeightPanels(plan, mr);
            return new Job(plan, mr, panels, packer.panelFloats(plan.reduction()), packer, schedule, packInTasks,
                    weightOffset);
        }

        /**
         * True when the 6-row kernels broadcast a full panel's weights straight from the OIHW tensor
         * ({@link WeightPanels#inPlaceStep}): in the forward pass each output's weights are one row over
         * (channel, tap), six sequential streams; in a stride-1 input gradient the six outputs' weights lie
         * side by side, taps reversed. Used only where each task packed its own weights (small planes), where
         * packing them only copied them: 6 % of ResNet's 14x14 forward pass, 9 % of its input gradient in
         * JFR samples; median 2-8 % faster. Where a task runs few tiles per panel (56x56: 2), the scattered
         * rows cost more than the shared packed copy (input gradient 15 % slower), so those keep packing.
         */
        boolean inPlace() {
            return packInTasks && mr == MR && packer.inPlaceStep() != 0;
        }

        int weightFloats() {
            return plan.groups() * panels * panelSize;
        }

        /** Packs every panel of the plan into {@code dst} at {@link #weightOffset}, one panel per task. */
        Tasks packingTasks(float[] weights, float[] dst) {
            return new Tasks(plan.groups() * panels, i -> packer.pack(weights, i / panels, i % panels, 0,
                    plan.reduction(), dst, weightOffset + i * panelSize));
        }
    }

    /** {@code count} tasks of one plan; {@link #runAll} runs the tasks of several plans in one parallel loop. */
    private record Tasks(int count, IntConsumer body) {
        static void runAll(List<Tasks> all, int threads) {
            int[] start = new int[all.size() + 1];
            for (int j = 0; j < all.size(); j++) {
                start[j + 1] = start[j] + all.get(j).count();
            }
            Parallel.forEach(start[all.size()], threads, i -> {
                int j = 0;
                while (i >= start[j + 1]) {
                    j++;
                }
                all.get(j).body().accept(i - start[j]);
            });
        }
    }

    private static int maxTap(ConvPlan plan, PlaneLayout layout) {
        return Arrays.stream(plan.tapOffsets(layout)).max().orElse(0);
    }

    /**
     * The layout of a source packed once for the whole call: {@link PlaneLayout#columnCopies} for a lone
     * stride-1 plan on a small plane with 6-row panels, where it saves at least a vector of positions;
     * else {@link PlaneLayout#forPlan}. ResNet 14x14 computes 13 vectors instead of 14 for 3x the packing
     * (3 % of JFR samples, from 2 %): median 7-9 % faster forward and input gradient. Larger planes would
     * save less (28x28: 49 vectors instead of 51) and keep more copies out of L1. Phase plans share one
     * packed source, so they keep the flat layout.
     */
    private static PlaneLayout sharedLayout(List<ConvPlan> plans, int images) {
        ConvPlan plan = plans.getFirst();
        PlaneLayout flat = PlaneLayout.forPlan(plan, images);
        PlaneLayout copies = plans.size() == 1 && rows(plan) == MR ? smallPlaneCopies(plan, images, flat) : null;
        return copies != null && PlaneLayout.ceilDiv(copies.positions(plan.outH(), plan.outW()), LANES)
                < PlaneLayout.ceilDiv(flat.positions(plan.outH(), plan.outW()), LANES) ? copies : flat;
    }

    /**
     * {@link PlaneLayout#columnCopies} of {@code plan}'s source when they apply and pay on a small plane:
     * stride 1 without upsampling, more than one kernel column, at most {@link #SMALL_PLANE_TILES} tiles of
     * positions in {@code flat}, and fewer positions than {@code flat}; else null. Shared by this pass and
     * {@link WeightGradient}, whose reduction runs over the positions.
     */
    static PlaneLayout smallPlaneCopies(ConvPlan plan, int images, PlaneLayout flat) {
        int flatPositions = flat.positions(plan.outH(), plan.outW());
        if (plan.s() == 1 || !PlaneLayout.copiesColumns(plan) || flatPositions > SMALL_PLANE_TILES * TILE) {
            return null;
        }
        PlaneLayout copies = PlaneLayout.columnCopies(plan, images);
        return copies.positions(plan.outH(), plan.outW()) < flatPositions ? copies : null;
    }

    /** Packs all weight panels of {@code plan} into the call's weight workspace. */
    private static float[] packAll(ConvPlan plan, float[] weights, int mr, int panels, int panelSize, Workspace ws,
                                   int threads) {
        WeightPanels packer = new WeightPanels(plan, mr);
        float[] all = ws.weights = Workspace.grow(ws.weights, plan.groups() * panels * panelSize);
        Parallel.forEach(plan.groups() * panels, threads, i -> packer.pack(weights, i / panels, i % panels, 0,
                plan.reduction(), all, i * panelSize));
        return all;
    }

    /** The paths that pack their input per task (depthwise with small groups, 1x1 GEMM): false if {@code plan} is neither. */
    private static boolean runWithOwnPacking(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out,
                                             Workspace ws, int threads) {
        int mr = rows(plan);
        int panels = PlaneLayout.ceilDiv(plan.outputs(), mr);
        int panelSize = plan.reduction() * plan.taps() * mr;
        boolean perGroup = mr == 1 && plan.reduction() <= PER_GROUP_MAX_REDUCTION
                && plan.batch() * plan.groups() >= threads;
        boolean gemm = !perGroup && plan.r() == 1 && plan.s() == 1 && mr == MR;
        if (!perGroup && !gemm) {
            return false;
        }
        float[] packedW = packAll(plan, weights, mr, panels, panelSize, ws, threads);
        if (perGroup) {
            runPerGroup(plan, src, packedW, panelSize, bias, out, threads);
        } else {
            runGemm(plan, src, plan.batch(), panels, panelSize, packedW, bias, out, ws, threads);
        }
        return true;
    }

    /**
     * How {@link #runChunk} splits a chunk: blocks of {@code perBlock} position tiles, reduction blocks of
     * {@code redBlock} channels, and {@code ranges} ranges of the {@code panels} panels.
     */
    private record Schedule(int positions, int tiles, int perBlock, int blockCount, int redBlock, int panels,
                            int ranges) {
        static Schedule of(ConvPlan plan, PlaneLayout layout, int mr, int panels, int threads) {
            int maxTap = maxTap(plan, layout);
            int positions = layout.positions(plan.outH(), plan.outW());
            int tiles = PlaneLayout.ceilDiv(positions, TILE);
            int red = plan.reduction();
            // The one-row kernel overwrites its results, so it takes the whole reduction at once. Other blocks
            // have at least MIN_KERNEL_STEPS steps and are evened out: 64 channels of 9 taps are 4 blocks of 16,
            // not 4 of 15 and one of 4 whose kernel calls would load and store the accumulators for 36 steps.
            int redBlock = mr == 1 ? red
                    : PlaneLayout.ceilDiv(red, Math.max(1, red / PlaneLayout.ceilDiv(MIN_KERNEL_STEPS, plan.taps())));
            int perBlock = Math.clamp((L1_INPUT_BUDGET / redBlock - maxTap) / TILE, 1,
                    Math.max(1, RESULTS_BUDGET / (panels * mr * TILE)));
            if (mr == 3) { // pairs of tiles run conv3x8 (128 GFLOP/s alone in L1) instead of conv3x4 (80)
                perBlock = Math.max(2, perBlock / 2 * 2);
            }
            if (tiles <= SMALL_PLANE_TILES) { // a small plane: one block, so each weight is needed by one task
                perBlock = tiles;
                if (mr != 1) {
                    int fitting = Math.max(1, SMALL_PLANE_INPUT_BUDGET / layout.channelStride());
                    if (redBlock > fitting) { // as even as the budget allows
                        redBlock = PlaneLayout.ceilDiv(red, PlaneLayout.ceilDiv(red, fitting));
                    }
                }
            }
            int blockCount = PlaneLayout.ceilDiv(tiles, perBlock);
            // Split the panels among tasks only when there are too few blocks to keep the threads busy, or
            // when a task's results would not fit the budget.
            int rangeCount = Math.min(panels, Math.max(
                    threads == 1 ? 1 : PlaneLayout.ceilDiv(TASKS_PER_THREAD * threads, plan.groups() * blockCount),
                    (int) Math.ceilDiv((long) panels * mr * perBlock * TILE, RESULTS_BUDGET)));
            return new Schedule(positions, tiles, perBlock, blockCount, redBlock, panels, rangeCount);
        }

        /** First panel of range {@code range}: ranges differ by at most one panel, so that tasks are even. */
        int firstPanel(int range) {
            return (int) ((long) range * panels / ranges);
        }
    }

    private static Tasks chunkTasks(Job job, PackedChunk packed, int n0, float[] packedW, float[] weights,
                                    float[] bias, float[] out) {
        ConvPlan plan = job.plan();
        Schedule schedule = job.schedule();
        int mr = job.mr(), panels = job.panels(), panelSize = job.panelSize(), wOff = job.weightOffset();
        WeightPanels packer = job.packer();
        float[] x = packed.data();
        PlaneLayout layout = packed.layout();
        int[] taps = plan.tapOffsets(layout);
        int chStride = layout.channelStride();
        int positions = schedule.positions(), tiles = schedule.tiles(), perBlock = schedule.perBlock();
        int blockCount = schedule.blockCount(), redBlock = schedule.redBlock();
        int ranges = schedule.ranges();
        int nTaps = taps.length;
        int red = plan.reduction();
        boolean inPlace = job.inPlace();
        // where a full panel's weights lie when read in place: row stride, step per tap, skip per channel
        int inPlaceStride = plan.weightOutputStride(), inPlaceStep = packer.inPlaceStep();
        int inPlaceSkip = plan.weightReductionStride() - nTaps * inPlaceStep;
        return new Tasks(plan.groups() * blockCount * ranges, task -> {
            int range = task % ranges;
            int block = (task / ranges) % blockCount;
            int g = task / ranges / blockCount;
            int t0 = block * perBlock, t1 = Math.min(tiles, t0 + perBlock);
            int q0 = schedule.firstPanel(range), q1 = schedule.firstPanel(range + 1);
            int blockLen = (t1 - t0) * TILE;
            // Results accumulate in scratch over the reduction blocks and are scattered at the end, long
            // after the kernel's stores retired (reading them back at once stalls on store forwarding).
            float[] results = Workspace.task(Workspace.RESULTS, (q1 - q0) * mr * blockLen);
            Arrays.fill(results, 0, (q1 - q0) * mr * blockLen, 0f);
            // Reduction blocks outermost: one block's input rows stay in L1 while every panel and tile of
            // the task revisits them; only the accumulators go back to scratch between blocks.
            for (int r0 = 0; r0 < red; r0 += redBlock) {
                int nRed = Math.min(redBlock, red - r0);
                int xb = (g * red + r0) * chStride;
                for (int panel = q0; panel < q1; panel++) {
                    int rows = Math.min(mr, plan.outputs() - panel * mr); // the last panel may be short
                    float[] w = packedW;
                    int wb = wOff + (g * panels + panel) * panelSize + r0 * nTaps * mr;
                    int ws = 1, wStep = mr, wSkip = 0;
                    if (inPlace && rows == mr) {
                        w = weights;
                        wb = plan.weightIndex(g, panel * mr, r0, 0);
                        ws = inPlaceStride;
                        wStep = inPlaceStep;
                        wSkip = inPlaceSkip;
                    } else if (packedW == null) {
                        w = Workspace.task(Workspace.WEIGHTS, nRed * nTaps * mr);
                        wb = 0;
                        packer.pack(weights, g, panel, r0, nRed, w, 0);
                    }
                    int rb = (panel - q0) * mr * blockLen;
                    if (mr == MR && rows > 4) {
                        sixRowTiles(x, xb, chStride, taps, nTaps, nRed, w, wb, ws, wStep, wSkip, results, rb, blockLen,
                                t0 * TILE, Math.min(positions, t1 * TILE));
                        continue;
                    }
                    for (int t = t0; t < t1; t++) {
                        int p0 = t * TILE, ob = rb + (t - t0) * TILE;
                        if (mr == 1) {
                            MicroKernels.conv1x4(x, xb + p0, chStride, taps, nTaps, nRed, w, wb, results, ob);
                        } else if (mr == 3 && t + 1 < t1) { // two tiles at once
                            MicroKernels.conv3x8(x, xb + p0, chStride, taps, nTaps, nRed, w, wb, results, ob,
                                    blockLen);
                            t++;
                        } else if (mr == 3) {
                            MicroKernels.conv3x4(x, xb + p0, chStride, taps, nTaps, nRed, w, wb, results, ob,
                                    blockLen);
                        } else if (rows <= 2 && positions - p0 > 2 * LANES) {
                            MicroKernels.conv2x4(x, xb + p0, chStride, taps, nTaps, nRed, w, wb, results, ob,
                                    blockLen);
                        } else if (rows <= 4 && positions - p0 > 2 * LANES) {
                            MicroKernels.conv4x4(x, xb + p0, chStride, taps, nTaps, nRed, w, wb, results, ob,
                                    blockLen);
                        } else { // the last panel's last 1-2 vectors
                            MicroKernels.conv6x2(x, xb + p0, chStride, taps, nTaps, nRed, w, wb, ws, wStep, wSkip,
                                    results, ob, blockLen, true);
                        }
                    }
                }
            }
            for (int panel = q0; panel < q1; panel++) {
                int o0 = panel * mr;
                store(plan, layout, results, blockLen, t0 * TILE, Math.min(blockLen, positions - t0 * TILE),
                        g * plan.outputs() + o0, Math.min(mr, plan.outputs() - o0), n0, bias, out,
                        (panel - q0) * mr * blockLen);
            }
        });
    }

    /**
     * Runs the 6-row kernels over positions {@code [from, to)} of a block whose results start at
     * {@code out[ob]} (rows {@code os} apart): 4-vector tiles, and 3-vector ones at the end where the
     * block's vectors do not divide by 4. In JFR samples per vector on ResNet 14x14, {@code conv6x3} runs
     * within 5 % of {@code conv6x4} and {@code conv6x2} 50 % slower, so 13 vectors run as 4 + 3 + 3 + 3
     * (not 4 + 4 + 3 + 2 or 4 + 4 + 4 + 1), and {@code conv6x2} only takes the last 1-2 of 1, 2 or 5.
     */
    private static void sixRowTiles(float[] x, int xb, int chStride, int[] taps, int nTaps, int nRed, float[] w,
                                    int wb, int ws, int wStep, int wSkip, float[] out, int ob, int os, int from,
                                    int to) {
        int vectors = PlaneLayout.ceilDiv(to - from, LANES);
        int threes = vectors >= 6 ? (4 - vectors % 4) % 4 : vectors == 3 || vectors == 5 ? 1 : 0;
        int fours = (vectors - 3 * threes) / 4;
        int p = from;
        for (int i = 0; i < fours; i++, p += 4 * LANES) {
            MicroKernels.conv6x4(x, xb + p, chStride, taps, nTaps, nRed, w, wb, ws, wStep, wSkip, out,
                    ob + p - from, os, true);
        }
        for (int i = 0; i < threes; i++, p += 3 * LANES) {
            MicroKernels.conv6x3(x, xb + p, chStride, taps, nTaps, nRed, w, wb, ws, wStep, wSkip, out,
                    ob + p - from, os);
        }
        if (p < to) { // 1 or 2 vectors
            MicroKernels.conv6x2(x, xb + p, chStride, taps, nTaps, nRed, w, wb, ws, wStep, wSkip, out,
                    ob + p - from, os, true);
        }
    }

    /**
     * 1x1 kernels are a GEMM: the output positions of the chunk (no padding junk, since there is one
     * tap) are packed tile by tile as [tile][channel][TILE] panels, so the micro-kernel streams each
     * panel sequentially. Each (group, block) task packs its own block into a per-thread buffer and
     * runs every weight panel over it while it is in L2: with a single tap the input has little reuse
     * and a separate packing pass over memory would cost as much as the arithmetic.
     */
    private static void runGemm(ConvPlan plan, float[] src, int images, int panels, int panelSize, float[] packedW,
                                float[] bias, float[] out, Workspace ws, int threads) {
        int n0 = 0;
        int red = plan.reduction();
        int positions = images * plan.outH() * plan.outW();
        int tiles = PlaneLayout.ceilDiv(positions, TILE);
        int panelFloats = red * TILE;
        PlaneLayout layout = new PlaneLayout(images, plan.outH(), plan.outW(), 1, 1, plan.outH(), plan.outW());
        int blockCount = gemmBlocks(tiles, BLOCK_BUDGET / panelFloats, plan.groups(), threads);
        int channels = plan.srcChannels();
        if (threads > 1 && plan.groups() * blockCount < threads
                && (long) tiles * channels * TILE <= CHUNK_BUDGET) {
            // Fewer (group, block) tasks than threads (a batch of one or two tiles): pack once, shared, then
            // split the weight panels instead. Not merely "few per thread": this path reads every packed tile
            // once per panel from beyond L2 (the ResNet-50 1x1 layer, 3.2 MB packed, ran no faster on two
            // threads than on one), where a block task keeps its tiles in L2 for all panels.
            float[] x = ws.input = Workspace.grow(ws.input, tiles * channels * TILE);
            int chunks = PlaneLayout.ceilDiv(channels, PACK_CHANNELS);
            Parallel.forEach(tiles * chunks, threads, task -> {
                int t = task / chunks, c0 = task % chunks * PACK_CHANNELS;
                packGemmTile(plan, src, n0, c0, Math.min(PACK_CHANNELS, channels - c0), t * TILE, positions, x,
                        t * channels * TILE + c0 * TILE);
            });
            Parallel.forEach(plan.groups() * panels * tiles, threads, task -> {
                int t = task % tiles, panel = task / tiles % panels, g = task / tiles / panels;
                float[] results = Workspace.task(Workspace.RESULTS, MR * TILE);
                MicroKernels.gemm6x4(x, t * channels * TILE + g * red * TILE, TILE, red, packedW,
                        (g * panels + panel) * panelSize, results, 0, TILE);
                store(plan, layout, results, TILE, t * TILE, Math.min(TILE, positions - t * TILE),
                        g * plan.outputs() + panel * MR, Math.min(MR, plan.outputs() - panel * MR), n0, bias, out);
            });
            return;
        }
        if (readsSourceInPlace(plan)) {
            runGemmInPlace(plan, src, images, panels, panelSize, packedW, bias, out, threads);
            return;
        }
        Parallel.forEach(plan.groups() * blockCount, threads, task -> {
            int block = task % blockCount;
            int g = task / blockCount;
            int t0 = firstTile(block, tiles, blockCount), t1 = firstTile(block + 1, tiles, blockCount);
            int blockLen = (t1 - t0) * TILE;
            float[] x = Workspace.task(Workspace.PACKED, (t1 - t0) * panelFloats);
            for (int t = t0; t < t1; t++) {
                packGemmTile(plan, src, n0, g * red, red, t * TILE, positions, x, (t - t0) * panelFloats);
            }
            float[] results = Workspace.task(Workspace.RESULTS, MR * blockLen);
            for (int panel = 0; panel < panels; panel++) {
                int wb = (g * panels + panel) * panelSize;
                for (int t = t0; t < t1; t++) {
                    MicroKernels.gemm6x4(x, (t - t0) * panelFloats, TILE, red, packedW, wb, results, (t - t0) * TILE,
                            blockLen);
                }
                int o0 = panel * MR;
                store(plan, layout, results, blockLen, t0 * TILE, Math.min(blockLen, positions - t0 * TILE),
                        g * plan.outputs() + o0, Math.min(MR, plan.outputs() - o0), n0, bias, out);
            }
        });
    }

    /**
     * True when every output pixel of a 1x1 plan reads the source pixel at the same place (stride 1,
     * no padding, no upsampling, same plane size): then a tile's inputs are {@code TILE} consecutive
     * floats of each channel's plane in the source itself, and the kernel can read them there.
     */
    private static boolean readsSourceInPlace(ConvPlan plan) {
        return plan.r() == 1 && plan.s() == 1 && plan.strideH() == 1 && plan.strideW() == 1 && plan.upH() == 1
                && plan.upW() == 1 && plan.originH() == plan.top() && plan.originW() == plan.left()
                && plan.outH() == plan.srcH() && plan.outW() == plan.srcW() && plan.outH() * plan.outW() > TILE;
    }

    /**
     * The 1x1 GEMM on tiles read where they lie in the NCHW source ({@link #readsSourceInPlace}): a
     * packed copy of a tile is 64 KB at 256 channels, and writing then re-reading it took 45 % of
     * ResNet-50's 1x1 layer, while the kernel streams the source's rows just as well (each channel's
     * part of a block of tiles is one contiguous run). Tiles do not cross images; only a last partial
     * tile of an image, whose rows would run into the next plane, is packed (so planes of at most one
     * tile keep the packed path).
     */
    private static void runGemmInPlace(ConvPlan plan, float[] src, int images, int panels, int panelSize,
                                       float[] packedW, float[] bias, float[] out, int threads) {
        int red = plan.reduction();
        int plane = plan.outH() * plan.outW();
        int perImage = PlaneLayout.ceilDiv(plane, TILE);
        int tiles = images * perImage;
        PlaneLayout layout = new PlaneLayout(images, plan.outH(), plan.outW(), 1, 1, plan.outH(), plan.outW());
        int blockCount = gemmBlocks(tiles, BLOCK_BUDGET / (red * TILE), plan.groups(), threads);
        Parallel.forEach(plan.groups() * blockCount, threads, task -> {
            int block = task % blockCount;
            int g = task / blockCount;
            int t0 = firstTile(block, tiles, blockCount), t1 = firstTile(block + 1, tiles, blockCount);
            int blockLen = (t1 - t0) * TILE;
            float[] results = Workspace.task(Workspace.RESULTS, MR * blockLen);
            // The block's partial tiles (the last of each image in it), packed once for all panels.
            int partials = (t1 - 1) / perImage - t0 / perImage + 1;
            float[] packed = Workspace.task(Workspace.PACKED, partials * red * TILE);
            for (int t = t0, k = 0; t < t1; t++) {
                int n = t / perImage, p0 = t % perImage * TILE;
                if (plane - p0 < TILE) {
                    packGemmTile(plan, src, 0, g * red, red, n * plane + p0, (n + 1) * plane, packed,
                            k++ * red * TILE);
                }
            }
            for (int panel = 0; panel < panels; panel++) {
                int wb = (g * panels + panel) * panelSize;
                for (int t = t0, k = 0; t < t1; t++) {
                    int n = t / perImage, p0 = t % perImage * TILE;
                    if (plane - p0 >= TILE) {
                        MicroKernels.gemm6x4(src, (n * plan.srcChannels() + g * red) * plane + p0, plane, red,
                                packedW, wb, results, (t - t0) * TILE, blockLen);
                    } else {
                        MicroKernels.gemm6x4(packed, k++ * red * TILE, TILE, red, packedW, wb, results,
                                (t - t0) * TILE, blockLen);
                    }
                }
                int o0 = panel * MR, rows = Math.min(MR, plan.outputs() - o0);
                for (int t = t0; t < t1; t++) {
                    int n = t / perImage, p0 = t % perImage * TILE;
                    store(plan, layout, results, blockLen, n * plane + p0, Math.min(TILE, plane - p0),
                            g * plan.outputs() + o0, rows, 0, bias, out, (t - t0) * TILE);
                }
            }
        });
    }

    /**
     * Blocks of a 1x1 GEMM: as few as keep each block's input within {@code fitting} tiles (its share
     * of {@link #BLOCK_BUDGET}, at most {@link #MAX_TILES_PER_BLOCK}), more when the threads need more
     * tasks. Block {@code b} holds tiles {@code [b*tiles/blocks, (b+1)*tiles/blocks)}: the sizes differ by
     * at most one tile, so 49 tiles on 2 threads are 8 blocks of 6-7 (4 per thread), not 7 of 7.
     */
    private static int gemmBlocks(int tiles, int fitting, int tasksPerBlock, int threads) {
        int blocks = PlaneLayout.ceilDiv(tiles, Math.clamp(fitting, 1, MAX_TILES_PER_BLOCK));
        if (threads > 1 && tasksPerBlock * blocks < TASKS_PER_THREAD * threads) {
            blocks = Math.min(tiles, PlaneLayout.ceilDiv(TASKS_PER_THREAD * threads, tasksPerBlock));
        }
        return blocks;
    }

    /** First tile of block {@code block} of {@link #gemmBlocks}. */
    private static int firstTile(int block, int tiles, int blocks) {
        return (int) ((long) block * tiles / blocks);
    }

    /** Packs positions {@code [start, start + TILE)} (below {@code positions}) of channels {@code c0 + c} of a 1x1 plan as {@code dst[off + c*TILE + j]} ({@code c < channels}), zero where the kernel meets padding or inserted zeros, or past {@code positions}. */
    private static void packGemmTile(ConvPlan plan, float[] src, int n0, int c0, int channels, int start,
                                     int positions, float[] dst, int off) {
        int outH = plan.outH(), outW = plan.outW();
        int srcPlane = plan.srcH() * plan.srcW();
        int left = plan.left() - plan.originW(); // source column of output column 0 is -left
        Arrays.fill(dst, off, off + channels * TILE, 0f);
        for (int p = start, end = Math.min(positions, p + TILE); p < end; ) {
            int img = p / (outH * outW), rem = p % (outH * outW), oh = rem / outW, ow0 = rem % outW;
            int run = Math.min(end - p, outW - ow0);
            int j = p - start;
            int y = oh * plan.strideH() + plan.originH() - plan.top();
            if (y >= 0 && y % plan.upH() == 0 && y / plan.upH() < plan.srcH()) {
                int rowBase = ((n0 + img) * plan.srcChannels() + c0) * srcPlane + (y / plan.upH()) * plan.srcW();
                if (plan.strideW() == 1 && plan.upW() == 1) { // contiguous source columns ow - left
                    int q0 = Math.max(0, left - ow0), q1 = Math.min(run, plan.srcW() + left - ow0);
                    for (int c = 0; c < channels; c++) {
                        int from = rowBase + c * srcPlane + ow0 - left, to = off + c * TILE + j;
                        for (int q = q0; q < q1; q++) {
                            dst[to + q] = src[from + q];
                        }
                    }
                } else {
                    for (int q = 0; q < run; q++) {
                        int xp = (ow0 + q) * plan.strideW() - left;
                        if (xp >= 0 && xp % plan.upW() == 0 && xp / plan.upW() < plan.srcW()) {
                            for (int c = 0; c < channels; c++) {
                                dst[off + c * TILE + j + q] = src[rowBase + c * srcPlane + xp / plan.upW()];
                            }
                        }
                    }
                }
            }
            p += run;
        }
    }

    /**
     * Depthwise and other groups with few outputs: too little arithmetic per input float to afford a
     * packed copy of the whole batch in memory, so each (image, group) task packs its group into a
     * per-thread buffer that stays in cache, convolves it and scatters the results.
     */
    private static void runPerGroup(ConvPlan plan, float[] src, float[] packedW, int panelSize, float[] bias,
                                    float[] out, int threads) {
        PlaneLayout layout = PlaneLayout.of(1, plan.paddedH(), plan.paddedW(), plan.strideH(), plan.strideW());
        int[] taps = plan.tapOffsets(layout);
        int maxTap = Arrays.stream(taps).max().orElse(0);
        int chStride = layout.channelStride();
        int red = plan.reduction();
        int positions = layout.positions(plan.outH(), plan.outW());
        int tiles = PlaneLayout.ceilDiv(positions, TILE);
        int srcPlane = plan.srcH() * plan.srcW();
        Parallel.forEach(plan.batch() * plan.groups(), threads, task -> {
            int n = task / plan.groups(), g = task % plan.groups();
            float[] x = Workspace.task(Workspace.PACKED, red * chStride + maxTap + TILE);
            Arrays.fill(x, red * chStride, red * chStride + maxTap + TILE, 0f);
            for (int c = 0; c < red; c++) {
                layout.pack(src, (n * plan.srcChannels() + g * red + c) * srcPlane, 0, plan.srcH(), plan.srcW(),
                        plan.upH(), plan.upW(), plan.top(), plan.left(), x, c * chStride);
            }
            float[] results = Workspace.task(Workspace.RESULTS, tiles * TILE);
            for (int o = 0; o < plan.outputs(); o++) {
                int wb = (g * plan.outputs() + o) * panelSize;
                for (int t = 0; t < tiles; t++) {
                    MicroKernels.conv1x4(x, t * TILE, chStride, taps, taps.length, red, packedW, wb, results, t * TILE);
                }
                store(plan, layout, results, tiles * TILE, 0, positions, g * plan.outputs() + o, 1, n, bias, out);
            }
        });
    }

    /** Copies the valid positions of computed results (rows of {@code rowLength} floats from position {@code p0}, one per output channel) to their {@link ConvPlan#placement()} in the NCHW output, adding the bias. */
    private static void store(ConvPlan plan, PlaneLayout layout, float[] tile, int rowLength, int p0, int count, int o0,
                              int outCount, int n0, float[] bias, float[] out) {
        store(plan, layout, tile, rowLength, p0, count, o0, outCount, n0, bias, out, 0);
    }

    /** {@link #store} of results that start at {@code tile[base]}. */
    private static void store(ConvPlan plan, PlaneLayout layout, float[] tile, int rowLength, int p0, int count, int o0,
                              int outCount, int n0, float[] bias, float[] out, int base) {
        int cols = layout.cols(), imageStride = layout.imageStride();
        int outH = plan.outH(), outW = plan.outW();
        ConvPlan.Placement at = plan.placement();
        int dstPlane = at.dstH() * at.dstW();
        if (dstPlane == 1 && imageStride == 1) { // one pixel per image (fully-connected): positions are images
            for (int m = 0; m < outCount; m++) {
                int o = o0 + m;
                float b = bias == null ? 0f : bias[o];
                for (int i = 0; i < count; i++) {
                    out[(n0 + p0 + i) * plan.outChannels() + o] = tile[base + m * rowLength + i] + b;
                }
            }
            return;
        }
        for (int i = 0; i < count; ) {
            int p = p0 + i;
            int img = p / imageStride, rem = p - img * imageStride, oh = rem / cols, ow = rem - oh * cols;
            int run = Math.min(count - i, cols - ow);
            if (oh < outH && ow < outW) {
                int len = Math.min(run, outW - ow);
                for (int m = 0; m < outCount; m++) {
                    int o = o0 + m;
                    float b = bias == null ? 0f : bias[o];
                    int to = ((n0 + img) * plan.outChannels() + o) * dstPlane + at.offset(oh, ow);
                    if (at.stepX() == 1) {
                        MicroKernels.addBias(tile, base + m * rowLength + i, b, out, to, len);
                    } else { // a phase of the input gradient: every stepX-th pixel of the row
                        for (int q = 0; q < len; q++) {
                            out[to + q * at.stepX()] = tile[base + m * rowLength + i + q] + b;
                        }
                    }
                }
            }
            i += run;
        }
    }

    /** A plan without taps (an input phase that no tap reaches): zero at every pixel of its placement. */
    private static void zeroFill(ConvPlan plan, float[] out) {
        ConvPlan.Placement at = plan.placement();
        int dstPlane = at.dstH() * at.dstW();
        for (int plane = 0; plane < plan.batch() * plan.outChannels(); plane++) {
            for (int oh = 0; oh < plan.outH(); oh++) {
                for (int ow = 0; ow < plan.outW(); ow++) {
                    out[plane * dstPlane + at.offset(oh, ow)] = 0f;
                }
            }
        }
    }
}
