package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.MR;
import static org.conv4j.simd.MicroKernels.TILE;

import jdk.incubator.vector.FloatVector;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;

/**
 * Short reductions on small planes (LeNet conv1: 1 channel x 25 taps, 6 outputs) with every result
 * written once, straight into the NCHW output. Each task packs one image into per-thread buffers that
 * stay in L1: first its zero-padded planes, then, per channel and kernel column {@code s}, the
 * <em>shifted plane</em> {@code shifted[c][s][y][ow] = padded[c][y][ow + s*dilationW]}
 * ({@code outW} columns, all padded rows). An output pixel {@code (oh, ow)} is then position
 * {@code p = oh*outW + ow}, exactly its offset in the output plane, and its input at tap {@code (r, s)}
 * is {@code shifted[c][s][p + r*dilationH*outW]}: every tap is a contiguous run over the whole plane,
 * so the register tiles cover the output plane with no junk column (the flat layout computes 32
 * columns per 28-wide row of LeNet conv1) and store into the result, bias included, with no scratch
 * pass (on conv1 the output is 6x the input: scattering it was the largest cost after the FMAs).
 *
 * <p>The plane is covered by 4-vector tiles; the rest by one tile shifted back to end at the plane's end
 * (2 vectors when at most 2 remain), which recomputes a few positions identically, so no mask is needed.
 * Tasks are (image, group of panels) and compute their elements whole in a fixed order: the result
 * does not depend on the thread count. Stride 1, one group; forward or input-gradient plans.
 */
final class ShiftedPlanesConvolution {
    /** Outputs per group from which the 6-row panels are worth it (fewer: mostly zero rows). */
    static final int MIN_OUTPUTS = 4;
    /**
     * Shifted-plane floats per image up to which this path is taken (24 KiB, half of L1: the padded
     * planes and the packed weights sit beside it). LeNet conv1 needs 5 x 32 x 28 = 4480.
     */
    static final int MAX_SHIFTED_FLOATS = 6144;
    /** Tasks per thread wanted before panels are split across tasks (each such task packs the image again). */
    static final int TASKS_PER_THREAD = 4;

    private ShiftedPlanesConvolution() {
    }

    /**
     * True for a dense stride-1 plan with one group, at least {@link #MIN_OUTPUTS} outputs, a reduction
     * too short for {@link ImageLanesConvolution} (fewer than {@link ImageLanesConvolution#MIN_REDUCTION}
     * channel-tap steps, where per-tile costs dominate), a plane of at least one 4-vector tile and a
     * shifted image within {@link #MAX_SHIFTED_FLOATS}.
     */
    static boolean applies(ConvPlan plan) {
        return plan.isDense() && plan.strideH() == 1 && plan.strideW() == 1 && plan.upH() == 1 && plan.upW() == 1
                && plan.groups() == 1 && plan.outputs() >= MIN_OUTPUTS
                && plan.reduction() * plan.taps() < ImageLanesConvolution.MIN_REDUCTION
                && plan.outH() * plan.outW() >= TILE
                && (long) shiftedFloats(plan) <= MAX_SHIFTED_FLOATS;
    }

    /** Padded rows that the output rows' taps read. */
    private static int rows(ConvPlan plan) {
        return plan.outH() + (plan.r() - 1) * plan.dilationH();
    }

    /** Floats per shifted plane: its rows, and a margin into which the last row's last vector copy spills. */
    static int shiftedPlane(ConvPlan plan) {
        return rows(plan) * plan.outW() + LANES;
    }

    private static long shiftedFloats(ConvPlan plan) {
        return (long) plan.srcChannels() * plan.s() * shiftedPlane(plan);
    }

    static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        int threads = ConvEngines.threads();
        int outW = plan.outW(), positions = plan.outH() * outW;
        int[] steps = steps(plan);
        int panels = PlaneLayout.ceilDiv(plan.outputs(), MR);
        int panelFloats = MR + steps.length * MR;
        Workspace ws = Workspace.acquire();
        try {
            float[] w = ws.weights = Workspace.grow(ws.weights, panels * panelFloats);
            packWeights(plan, weights, bias, panels, w); // a few hundred floats: not worth a parallel loop
            int panelGroups = Math.min(panels, PlaneLayout.ceilDiv(TASKS_PER_THREAD * threads, plan.batch()));
            int panelsPerTask = PlaneLayout.ceilDiv(panels, panelGroups);
            int outPlane = positions;
            boolean direct = readsPaddedRows(plan);
            int[] paddedSteps = direct ? paddedSteps(plan) : null;
            int pw = plan.paddedW(), q1 = outW - LANES, rowPairs = PlaneLayout.ceilDiv(plan.outH(), 2);
            Parallel.forEach(plan.batch() * panelGroups, threads, task -> {
                int n = task / panelGroups, p0 = task % panelGroups * panelsPerTask;
                if (direct) {
                    float[] x = padImage(plan, src, n);
                    for (int panel = p0, pEnd = Math.min(panels, p0 + panelsPerTask); panel < pEnd; panel++) {
                        int rowsHere = Math.min(MR, plan.outputs() - panel * MR);
                        int ob = (n * plan.outChannels() + panel * MR) * outPlane;
                        for (int t = 0; t < rowPairs; t++) {
                            int oh = Math.min(2 * t, plan.outH() - 2); // an odd last row: the pair shifted back
                            ShiftedPlaneKernels.conv6x4Rows(x, oh * pw, paddedSteps, q1, pw, w, panel * panelFloats, out,
                                    ob + oh * outW, outPlane, outW, rowsHere);
                        }
                    }
                    return;
                }
                float[] shifted = packImage(plan, src, n);
                for (int panel = p0, pEnd = Math.min(panels, p0 + panelsPerTask); panel < pEnd; panel++) {
                    int rowsHere = Math.min(MR, plan.outputs() - panel * MR);
                    int ob = (n * plan.outChannels() + panel * MR) * outPlane;
                    int wb = panel * panelFloats;
                    int p = 0;
                    for (; p + TILE <= positions; p += TILE) {
                        ShiftedPlaneKernels.conv6x4(shifted, p, steps, w, wb, out, ob + p, outPlane, rowsHere);
                    }
                    if (p < positions) { // the rest, as one tile shifted back to end at the plane's end
                        if (positions - p <= 2 * LANES) {
                            int q = positions - 2 * LANES;
                            ShiftedPlaneKernels.conv6x2(shifted, q, steps, w, wb, out, ob + q, outPlane, rowsHere);
                        } else {
                            int q = positions - TILE;
                            ShiftedPlaneKernels.conv6x4(shifted, q, steps, w, wb, out, ob + q, outPlane, rowsHere);
                        }
                    }
                }
            });
        } finally {
            ws.release();
        }
    }

    /** For every (channel, tap) step of the reduction, where its input run starts in the shifted planes, from the output position. */
    static int[] steps(ConvPlan plan) {
        int s = plan.s(), shiftedPlane = shiftedPlane(plan);
        int[] steps = new int[plan.srcChannels() * plan.taps()];
        for (int c = 0, i = 0; c < plan.srcChannels(); c++) {
            for (int t = 0; t < plan.taps(); t++, i++) {
                steps[i] = (c * s + t % s) * shiftedPlane + (t / s) * plan.dilationH() * plan.outW();
            }
        }
        return steps;
    }

    /**
     * True when the plan reads its padded planes directly, two output rows per tile (columns {@code [0, LANES)}
     * and {@code [outW - LANES, outW)} of each): rows of more than one and at most two vectors whose
     * recomputed columns are at most a seventh of the row (LeNet conv1: 32 columns for 28, against the
     * shifted planes' copies, 5 x 32 rows of 28 floats per image, about a fifth of the time).
     */
    static boolean readsPaddedRows(ConvPlan plan) {
        int outW = plan.outW();
        return outW > LANES && outW <= 2 * LANES && 7 * (2 * LANES - outW) <= outW && plan.outH() >= 2;
    }

    /** For every (channel, tap) step, where its input starts in the padded planes, from the output pixel's own position. */
    private static int[] paddedSteps(ConvPlan plan) {
        int s = plan.s(), paddedPlane = plan.paddedH() * plan.paddedW();
        int[] steps = new int[plan.srcChannels() * plan.taps()];
        for (int c = 0, i = 0; c < plan.srcChannels(); c++) {
            for (int t = 0; t < plan.taps(); t++, i++) {
                steps[i] = c * paddedPlane + (t / s) * plan.dilationH() * plan.paddedW() + (t % s) * plan.dilationW();
            }
        }
        return steps;
    }

    /** Image {@code n} of {@code src} as zero-padded planes in this thread's task scratch ({@link Workspace#RESULTS}). */
    private static float[] padImage(ConvPlan plan, float[] src, int n) {
        int channels = plan.srcChannels(), paddedPlane = plan.paddedH() * plan.paddedW();
        int srcPlane = plan.srcH() * plan.srcW();
        float[] padded = Workspace.task(Workspace.RESULTS, channels * paddedPlane);
        for (int c = 0; c < channels; c++) {
            RowReuseConvolution.pad(plan, src, (n * channels + c) * srcPlane, padded, c * paddedPlane);
        }
        return padded;
    }

    /** Image {@code n} of {@code src} as shifted planes in this thread's task scratch ({@link Workspace#PACKED}), valid until the task returns. */
    static float[] packImage(ConvPlan plan, float[] src, int n) {
        int channels = plan.srcChannels(), paddedPlane = plan.paddedH() * plan.paddedW();
        int srcPlane = plan.srcH() * plan.srcW(), shiftedPlane = shiftedPlane(plan);
        // margin: a row's last vector copy reads up to LANES floats past the plane
        float[] padded = Workspace.task(Workspace.RESULTS, channels * paddedPlane + LANES);
        float[] shifted = Workspace.task(Workspace.PACKED, channels * plan.s() * shiftedPlane);
        for (int c = 0; c < channels; c++) {
            RowReuseConvolution.pad(plan, src, (n * channels + c) * srcPlane, padded, c * paddedPlane);
        }
        shift(plan, padded, paddedPlane, shifted, shiftedPlane);
        return shifted;
    }

    /** Panels of {@code MR} outputs: the {@code MR} biases, then per (channel, tap) step the {@code MR} weights; zero past the last output. */
    private static void packWeights(ConvPlan plan, float[] weights, float[] bias, int panels, float[] w) {
        int steps = plan.reduction() * plan.taps(), panelFloats = MR + steps * MR;
        for (int panel = 0; panel < panels; panel++) {
            for (int m = 0; m < MR; m++) {
                int o = panel * MR + m;
                boolean real = o < plan.outputs();
                w[panel * panelFloats + m] = real && bias != null ? bias[o] : 0f;
                for (int red = 0, i = 0; red < plan.reduction(); red++) {
                    for (int t = 0; t < plan.taps(); t++, i++) {
                        w[panel * panelFloats + MR + i * MR + m] = real ? weights[plan.weightIndex(0, o, red, t)] : 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code shifted[(c*S + s)*shiftedPlane + y*outW + ow] = padded[c][y][ow + s*dilationW]} for every
     * padded row {@code y} the taps read. The padded planes are complete before the first copy: loading a
     * row back right after writing it, at another alignment, would stall on store forwarding. Rows are
     * copied in vectors in increasing order: a row's last vector spills into the next row, which is
     * written afterwards (the last one into the plane's margin).
     */
    private static void shift(ConvPlan plan, float[] padded, int paddedPlane, float[] shifted, int shiftedPlane) {
        int pw = plan.paddedW(), outW = plan.outW(), rows = rows(plan);
        for (int c = 0; c < plan.srcChannels(); c++) {
            for (int s = 0; s < plan.s(); s++) {
                int from = c * paddedPlane + s * plan.dilationW();
                int to = (c * plan.s() + s) * shiftedPlane;
                for (int y = 0; y < rows; y++, from += pw, to += outW) {
                    for (int j = 0; j < outW; j += LANES) {
                        FloatVector.fromArray(MicroKernels.SPECIES, padded, from + j).intoArray(shifted, to + j);
                    }
                }
            }
        }
    }

    /** {@code dst[to ..+length) = src[from ..+length)}: whole vectors, the last shifted back, when at least one fits. */
    static void copyRow(float[] src, int from, float[] dst, int to, int length) {
        if (length < LANES) {
            System.arraycopy(src, from, dst, to, length);
            return;
        }
        for (int j = 0; ; j += LANES) {
            int k = Math.min(j, length - LANES);
            FloatVector.fromArray(MicroKernels.SPECIES, src, from + k).intoArray(dst, to + k);
            if (k == length - LANES) {
                return;
            }
        }
    }
}
