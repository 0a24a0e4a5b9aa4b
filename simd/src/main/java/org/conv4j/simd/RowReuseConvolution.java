package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.RowReuseKernels.KERNEL_ROWS;
import static org.conv4j.simd.RowReuseKernels.ROWS;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;

/**
 * One output channel from several input channels with a 5-row kernel (LeNet conv1's input gradient:
 * 6 gradient channels x 25 taps into the one input channel), written straight into the NCHW result.
 * Each task packs one image's zero-padded planes into a per-thread buffer (24 KiB on conv1) and runs
 * {@link RowReuseKernels#conv1x7} over tiles of {@link RowReuseKernels#ROWS} output rows x 2 vectors:
 * each input vector loaded serves all 5 kernel rows, so the tile is bound by its FMAs, not its loads
 * (the flat path's 1-output tile does one load per FMA and writes through a scratch).
 *
 * <p>A row of {@code outW} columns is covered by pairs of vectors, the last vector shifted back to end
 * at the row's end, and the last tile of rows shifted back to end at the last row; shifted tiles recompute
 * a few elements identically (same order of the same sums), so no mask is needed. Every element is
 * computed whole by one task: results do not depend on the thread count.
 */
final class RowReuseConvolution {
    /** Padded floats per image up to which this path is taken (128 KiB: L2, which the row tiles stream through). */
    static final int MAX_PADDED_FLOATS = 32 * 1024;

    private RowReuseConvolution() {
    }

    /**
     * True for a dense stride-1 plan with one group and one output, a {@link RowReuseKernels#KERNEL_ROWS}-row
     * kernel without row dilation, at least {@link RowReuseKernels#ROWS} output rows of at least one vector,
     * and padded planes within {@link #MAX_PADDED_FLOATS}.
     */
    static boolean applies(ConvPlan plan) {
        return plan.isDense() && plan.strideH() == 1 && plan.strideW() == 1 && plan.upH() == 1 && plan.upW() == 1
                && plan.groups() == 1 && plan.outputs() == 1 && plan.r() == KERNEL_ROWS && plan.dilationH() == 1
                && plan.outH() >= ROWS && plan.outW() >= LANES
                && (long) plan.srcChannels() * plan.paddedH() * plan.paddedW() <= MAX_PADDED_FLOATS;
    }

    static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        int channels = plan.srcChannels(), s = plan.s(), ph = plan.paddedH(), pw = plan.paddedW();
        int outH = plan.outH(), outW = plan.outW(), paddedPlane = ph * pw;
        int[] steps = new int[channels * s]; // one step per (channel, kernel column)
        float[] w = new float[steps.length * KERNEL_ROWS]; // [channel][column][row]: a few hundred floats
        for (int c = 0, k = 0; c < channels; c++) {
            for (int j = 0; j < s; j++, k++) {
                steps[k] = c * paddedPlane + j * plan.dilationW();
                for (int r = 0; r < KERNEL_ROWS; r++) {
                    w[k * KERNEL_ROWS + r] = weights[plan.weightIndex(0, 0, c, r * s + j)];
                }
            }
        }
        float b = bias == null ? 0f : bias[0];
        int pairs = PlaneLayout.ceilDiv(outW, 2 * LANES);
        int rowTiles = PlaneLayout.ceilDiv(outH, ROWS);
        int srcPlane = plan.srcH() * plan.srcW();
        Parallel.forEach(plan.batch(), ConvEngines.threads(), n -> {
            float[] x = Workspace.task(Workspace.PACKED, channels * paddedPlane);
            for (int c = 0; c < channels; c++) {
                pad(plan, src, (n * channels + c) * srcPlane, x, c * paddedPlane);
            }
            int ob = n * plan.outChannels() * outH * outW;
            for (int t = 0; t < rowTiles; t++) {
                int oh = Math.min(t * ROWS, outH - ROWS);
                for (int pair = 0; pair < pairs; pair++) {
                    // columns q0 and q0 + q1, the second shifted back (onto the first when the row has one vector left)
                    int q0 = Math.min(pair * 2 * LANES, outW - LANES);
                    int q1 = Math.min(q0 + LANES, outW - LANES) - q0;
                    RowReuseKernels.conv1x7(x, oh * pw + q0, pw, q1, steps, w, 0, b, out, ob + oh * outW + q0, outW);
                }
            }
        });
    }

    /**
     * One channel's zero-padded plane: source row {@code i} at padded row {@code top + i}, column
     * {@code left}; a negative margin crops. The plane is zeroed whole first: one long fill is cheaper than
     * a short fill per margin of every row (measured 2x on LeNet conv1's 6 planes of 32x32).
     */
    static void pad(ConvPlan plan, float[] src, int srcOff, float[] dst, int to) {
        int ph = plan.paddedH(), pw = plan.paddedW(), srcW = plan.srcW(), top = plan.top(), left = plan.left();
        int j0 = Math.max(0, -left), j1 = Math.min(srcW, pw - left);
        Arrays.fill(dst, to, to + ph * pw, 0f);
        if (j0 >= j1) {
            return;
        }
        for (int i = Math.max(0, -top), iEnd = Math.min(plan.srcH(), ph - top); i < iEnd; i++) {
            ShiftedPlanesConvolution.copyRow(src, srcOff + i * srcW + j0, dst, to + (top + i) * pw + left + j0, j1 - j0);
        }
    }
}
