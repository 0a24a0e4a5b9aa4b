package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Packs the weights of a {@link ConvPlan} into the panels the convolution kernels read:
 * {@code dst[off + (c*taps + t)*mr + m]} = the weight of output {@code panel*mr + m}, reduction channel
 * {@code c0 + c} and tap {@code t}, zero past the last output. This runs on every call (2.4 MB of
 * weights at 256 channels; a quarter of ResNet's 14x14 layer when done element by element), so it
 * picks the cheapest of three ways once per call:
 * <ul>
 *   <li>forward pass: each output's row is contiguous over (channel, tap), and
 *       {@link RowInterleave} interleaves the rows with vector permutes;</li>
 *   <li>input gradient (transposed, flipped kernel): no row is contiguous, but the source index of
 *       every packed float repeats with a period of {@link #periodChannels} channels, so full panels
 *       are gathered a vector at a time through one precomputed index table;</li>
 *   <li>otherwise (short panels, tails) element by element.</li>
 * </ul>
 */
final class WeightPanels {
    private final ConvPlan plan;
    private final int mr;
    private final int taps;
    private final int[] tapIndex;
    private final boolean contiguousRows;
    private final int inPlaceStep;
    /** Channels per period of {@link #gather}: the fewest whose packed floats fill whole vectors. */
    private final int periodChannels;
    /** For the packed floats of {@link #periodChannels} channels, their source offsets from the panel's first weight. */
    private final int[] gather;

    WeightPanels(ConvPlan plan, int mr) {
        this.plan = plan;
        this.mr = mr;
        this.taps = plan.taps();
        this.tapIndex = plan.weightTapIndices();
        // tap t uses weight tap t: a run of +1 from tap 0
        this.contiguousRows = plan.weightReductionStride() == taps && isRun(tapIndex, 1)
                && (taps == 0 || tapIndex[0] == 0);
        int kernelTaps = plan.weightTaps().kernelR() * plan.weightTaps().kernelS();
        this.inPlaceStep = taps != kernelTaps ? 0 : isRun(tapIndex, 1) ? 1 : isRun(tapIndex, -1) ? -1 : 0;
        int perChannel = taps * mr;
        // Channels per period: the fewest whose packed floats fill whole vectors.
        this.periodChannels = LANES / PlaneLayout.gcd(perChannel, LANES);
        if (contiguousRows || perChannel == 0) {
            this.gather = null;
        } else {
            int oStride = plan.weightOutputStride(), cStride = plan.weightReductionStride();
            int[] index = new int[periodChannels * perChannel];
            for (int q = 0; q < index.length; q++) {
                int c = q / perChannel, t = q % perChannel / mr, m = q % mr;
                index[q] = c * cStride + m * oStride + tapIndex[t] - tapIndex[0];
            }
            this.gather = index;
        }
    }

    /**
     * The step between the weights of consecutive taps of one output and reduction channel in the weight
     * tensor, when a kernel can read them there instead of from a packed panel: +1 in the forward pass
     * (each output's weights are one contiguous row over (channel, tap)), -1 in a stride-1 input gradient
     * (the flipped kernel: taps in reverse). 0 when the plan's taps are not such a run (a stride phase of the
     * input gradient uses some taps only).
     */
    int inPlaceStep() {
        return inPlaceStep;
    }

    /** Floats of one panel over {@code red} reduction channels. */
    int panelFloats(int red) {
        return red * taps * mr;
    }

    /** Packs reduction channels {@code [c0, c0 + red)} of panel {@code panel} of group {@code g} at {@code dst[off]}. */
    void pack(float[] w, int g, int panel, int c0, int red, float[] dst, int off) {
        int count = Math.min(mr, plan.outputs() - panel * mr);
        int oStride = plan.weightOutputStride(), cStride = plan.weightReductionStride();
        int first = plan.weightIndex(g, panel * mr, c0, 0);
        if (contiguousRows) {
            RowInterleave.interleave(w, first, oStride, count, mr, red * taps, dst, off);
            return;
        }
        int q = 0, end = red * taps * mr; // packed floats done, and to do
        if (count == mr && gather != null) {
            int perPeriod = gather.length;
            for (int from = first; q < end; from += periodChannels * cStride) {
                // A last, partial period gathers its whole vectors; the floats after them go one by one.
                int vectors = Math.min(perPeriod, end - q) / LANES * LANES;
                for (int v = 0; v < vectors; v += LANES) {
                    FloatVector.fromArray(SPECIES, w, from, gather, v).intoArray(dst, off + q + v);
                }
                if (vectors < perPeriod) {
                    q += vectors;
                    break;
                }
                q += perPeriod;
            }
        }
        int perChannel = taps * mr;
        int c = q / perChannel, t = q % perChannel / mr, m = q % mr;
        for (int base = first - tapIndex[0] + c * cStride; q < end; q++) {
            dst[off + q] = m < count ? w[base + m * oStride + tapIndex[t]] : 0f;
            if (++m == mr) {
                m = 0;
                if (++t == taps) {
                    t = 0;
                    base += cStride;
                }
            }
        }
    }

    /** True when tap {@code t} uses weight tap {@code tapIndex[0] + t*step} for every {@code t}. */
    private static boolean isRun(int[] tapIndex, int step) {
        for (int t = 0; t < tapIndex.length; t++) {
            if (tapIndex[t] != tapIndex[0] + t * step) {
                return false;
            }
        }
        return true;
    }
}
