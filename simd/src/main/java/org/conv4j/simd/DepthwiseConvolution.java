package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;

/**
 * Depthwise convolution (one input and one output channel per group) at stride 1, forward and input
 * gradient (a depthwise convolution of the output gradient with the flipped kernel: the same code).
 * With 9 FMAs per element (3x3) it is bound by memory traffic, so no plane is packed: each
 * (image, channel) task reads its NCHW source plane in place ({@link DepthwiseKernels}: padding rows
 * are skipped, padding columns come from a zero-margined copy of the row in L1 where a strip reaches
 * them, or from masked loads in the generic kernel) and writes every output row straight into the
 * NCHW result, bias included. 3x3 kernels roll down the rows so that each source row is
 * loaded once per strip of 4 vectors; other kernel sizes take one output row at a time.
 *
 * <p>Every element is computed whole by one task in a fixed tap order: results do not depend on the
 * thread count.
 */
final class DepthwiseConvolution {
    private DepthwiseConvolution() {
    }

    /** True for one input and one output per group at stride 1 with output rows at least one vector wide. */
    static boolean applies(ConvPlan plan) {
        return plan.isDense()
                && plan.reduction() == 1 && plan.outputs() == 1 && plan.strideH() == 1 && plan.strideW() == 1
                && plan.upH() == 1 && plan.upW() == 1 && plan.outW() >= LANES;
    }

    static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        DepthwisePlane p = new DepthwisePlane(plan.srcH(), plan.srcW(), plan.outH(), plan.outW(), plan.top(),
                plan.left(), plan.r(), plan.s(), plan.dilationH(), plan.dilationW());
        DepthwiseColumns cols = p.overlappingColumns();
        int[] tap = plan.weightTapIndices(); // flipped for the input gradient
        int kernelTaps = plan.weightTaps().kernelR() * plan.weightTaps().kernelS();
        int groups = plan.groups(), strips = cols.strips(), bufferFloats = DepthwiseKernels.bufferFloats(cols);
        boolean rolling = p.r() == 3 && p.s() == 3;
        Parallel.forEach(plan.batch() * groups, ConvEngines.threads(), task -> {
            int g = task % groups, n = task / groups;
            int xb = (n * plan.srcChannels() + g) * p.srcPlane(), ob = (n * plan.outChannels() + g) * p.outPlane();
            float b = bias == null ? 0f : bias[g];
            float[] buf = rolling ? Workspace.task(Workspace.PACKED, bufferFloats) : null;
            if (rolling) {
                Arrays.fill(buf, 0, bufferFloats, 0f); // the margins: padding columns
            }
            for (int strip = 0; strip < strips; strip++) { // weight of tap t: weights[g*kernelTaps + tap[t]]
                if (rolling) {
                    DepthwiseKernels.strip3x3(p, cols, strip, src, xb, buf, weights, g * kernelTaps, tap, b, out, ob);
                } else {
                    DepthwiseKernels.stripTaps(p, cols, strip, src, xb, weights, g * kernelTaps, tap, b, out, ob);
                }
            }
        });
    }
}
