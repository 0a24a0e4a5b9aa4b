package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;

/**
 * Depthwise convolution (one input and one output channel per group) at stride 1, forward and input
 * gradient. With 9 FMAs per element (3x3) it is bound by memory traffic, so each (image, channel)
 * task packs its zero-padded plane into a per-thread buffer that stays in L1 and writes every output
 * row straight into the NCHW result, bias included: no junk columns, no scratch, no second pass.
 *
 * <p>Each output row is covered by vectors of {@code LANES} columns; the last one is shifted back to
 * end at the row's end (it recomputes a few columns, identically), so no load or store needs a mask.
 * Every element is computed whole by one task in tap order: results do not depend on the thread count.
 */
final class DepthwiseConvolution {
    /** Vectors per register tile: each broadcast weight feeds 4 FMAs. */
    static final int VECTORS = 4;

    private DepthwiseConvolution() {
    }

    /** True for one input and one output per group at stride 1 with output rows at least one vector wide. */
    static boolean applies(ConvPlan plan) {
        return plan.isDense()
                && plan.reduction() == 1 && plan.outputs() == 1 && plan.strideH() == 1 && plan.strideW() == 1
                && plan.upH() == 1 && plan.upW() == 1 && plan.outW() >= LANES;
    }

    static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        int taps = plan.taps(), groups = plan.groups(), outW = plan.outW(), outH = plan.outH();
        float[] w = new float[groups * taps]; // [group][tap]; weightIndex flips them for the input gradient
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < taps; t++) {
                w[g * taps + t] = weights[plan.weightIndex(g, 0, 0, t)];
            }
        }
        PlaneLayout layout = PlaneLayout.of(1, plan.paddedH(), plan.paddedW(), 1, 1);
        int[] tapOff = plan.tapOffsets(layout);
        int plane = layout.channelStride();
        int vectors = PlaneLayout.ceilDiv(outW, LANES);
        int tiles = PlaneLayout.ceilDiv(vectors, VECTORS);
        int[] starts = new int[tiles * VECTORS]; // vector start columns: the last shifted back, spare ones repeat it
        for (int v = 0; v < starts.length; v++) {
            starts[v] = Math.min(Math.min(v, vectors - 1) * LANES, outW - LANES);
        }
        int srcPlane = plan.srcH() * plan.srcW();
        Parallel.forEach(plan.batch() * groups, ConvEngines.threads(), task -> {
            int g = task % groups, n = task / groups;
            float[] x = Workspace.task(Workspace.PACKED, plane);
            layout.pack(src, (n * plan.srcChannels() + g) * srcPlane, 0, plan.srcH(), plan.srcW(), 1, 1, plan.top(),
                    plan.left(), x, 0);
            float b = bias == null ? 0f : bias[g];
            int ob = (n * plan.outChannels() + g) * outH * outW;
            for (int oh = 0; oh < outH; oh++) {
                for (int t = 0; t < tiles; t++) {
                    rowTile(x, oh * layout.cols(), tapOff, w, g * taps, b, starts, t * VECTORS, out, ob + oh * outW);
                }
            }
        });
    }

    /** {@code out[ob + c ..+LANES) = bias + sum over taps t of w[wb + t] * x[xb + taps[t] + c ..]} for the {@link #VECTORS} start columns {@code c = starts[si ..]}. */
    private static void rowTile(float[] x, int xb, int[] taps, float[] w, int wb, float bias, int[] starts, int si,
                                float[] out, int ob) {
        int c0 = xb + starts[si], c1 = xb + starts[si + 1], c2 = xb + starts[si + 2], c3 = xb + starts[si + 3];
        FloatVector a0 = FloatVector.broadcast(SPECIES, bias), a1 = a0, a2 = a0, a3 = a0;
        for (int t = 0; t < taps.length; t++) {
            FloatVector k = FloatVector.broadcast(SPECIES, w[wb + t]);
            int o = taps[t];
            a0 = FloatVector.fromArray(SPECIES, x, o + c0).fma(k, a0);
            a1 = FloatVector.fromArray(SPECIES, x, o + c1).fma(k, a1);
            a2 = FloatVector.fromArray(SPECIES, x, o + c2).fma(k, a2);
            a3 = FloatVector.fromArray(SPECIES, x, o + c3).fma(k, a3);
        }
        a0.intoArray(out, ob + starts[si]);
        a1.intoArray(out, ob + starts[si + 1]);
        a2.intoArray(out, ob + starts[si + 2]);
        a3.intoArray(out, ob + starts[si + 3]);
    }
}
