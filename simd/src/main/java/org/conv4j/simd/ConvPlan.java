package org.conv4j.simd;

import java.util.ArrayList;
import java.util.List;
import org.conv4j.core.ConvGeometry;

/**
 * A direct convolution as {@link DirectConvolution} runs it: a source tensor {@code [batch, srcChannels,
 * srcH, srcW]} placed (upsampled, shifted, cropped or zero-padded) into a {@code paddedH x paddedW}
 * plane, convolved with stride and dilation into {@code outH x outW} pixels that {@link #placement()}
 * puts into the destination tensor {@code [batch, outChannels, dstH, dstW]}. The forward pass is one
 * plan. The input gradient is one plan per stride phase of the input ({@link #backwardInput}): each
 * phase is a stride-1 convolution of the output gradient with the taps of that phase only, so no
 * zeros are inserted and no multiplication by an inserted zero is ever done.
 *
 * @param reduction  input channels per group that each output sums over
 * @param outputs    output channels per group
 * @param transposed true when the weights are read as {@code w[g*reduction + red][o][r][s]}
 *                   (the input gradient) instead of {@code w[g*outputs + o][red][r][s]}
 * @param weightTaps which tap {@code (r, s)} of the weight tensor each tap of the plan uses
 * @param placement  where each output pixel of the plan goes in the destination plane
 * @param originH    padded row of tap 0 for output row 0 (its taps are {@code originH + i*dilationH}): non-zero
 *                   when several phase plans share one packed source and so one padding
 * @param originW    the same for columns
 */
record ConvPlan(int batch, int srcChannels, int srcH, int srcW, int upH, int upW, int top, int left,
                int paddedH, int paddedW, int strideH, int strideW, int dilationH, int dilationW, int r, int s,
                int outChannels, int outH, int outW, int groups, int reduction, int outputs, boolean transposed,
                WeightTaps weightTaps, Placement placement, int originH, int originW) {

    /** Tap {@code (i, j)} of a plan uses tap {@code (r0 + i*rStep, s0 + j*sStep)} of a {@code kernelR x kernelS} weight tensor. */
    record WeightTaps(int kernelR, int kernelS, int r0, int rStep, int s0, int sStep) {
        int index(int i, int j) {
            return (r0 + i * rStep) * kernelS + s0 + j * sStep;
        }
    }

    /** Output pixel {@code (oh, ow)} of a plan goes to pixel {@code (y0 + oh*stepY, x0 + ow*stepX)} of a {@code dstH x dstW} plane. */
    record Placement(int dstH, int dstW, int y0, int stepY, int x0, int stepX) {
        static Placement identity(int h, int w) {
            return new Placement(h, w, 0, 1, 0, 1);
        }

        int offset(int oh, int ow) {
            return (y0 + oh * stepY) * dstW + x0 + ow * stepX;
        }
    }

    static ConvPlan forward(ConvGeometry g) {
        var sp = g.spec();
        return new ConvPlan(g.n(), g.c(), g.h(), g.w(), 1, 1, sp.padTop(), sp.padLeft(),
                g.h() + sp.padTop() + sp.padBottom(), g.w() + sp.padLeft() + sp.padRight(),
                sp.strideH(), sp.strideW(), sp.dilationH(), sp.dilationW(), g.r(), g.s(),
                g.k(), g.outH(), g.outW(), g.groups(), g.cPerGroup(), g.kPerGroup(), false,
                new WeightTaps(g.r(), g.s(), 0, 1, 0, 1), Placement.identity(g.outH(), g.outW()), 0, 0);
    }

    /**
     * The input gradient as one plan per input phase {@code (py, px)} (the input pixels
     * {@code (py + i*strideH, px + j*strideW)}) that has at least one pixel. Each is a stride-1
     * convolution of the output gradient with the weights transposed per group, flipped, and restricted
     * to the taps that reach that phase. A phase that no tap reaches (stride larger than the kernel
     * extent) is a plan with zero taps: its pixels get zero gradient. At stride 1 this is the single
     * classic plan (flipped kernel, padding {@code dilation*(R-1) - pad}).
     */
    static List<ConvPlan> backwardInput(ConvGeometry g) {
        var sp = g.spec();
        List<Phase> rows = Phase.all(g.h(), g.r(), sp.strideH(), sp.dilationH(), sp.padTop());
        List<Phase> cols = Phase.all(g.w(), g.s(), sp.strideW(), sp.dilationW(), sp.padLeft());
        // One padding for all phases, so that they share one packed copy of the output gradient: the
        // largest top margin of any phase, each phase's taps shifted down by the difference.
        int top = Phase.commonTop(rows), left = Phase.commonTop(cols);
        int paddedH = Phase.commonPadded(rows, top), paddedW = Phase.commonPadded(cols, left);
        List<ConvPlan> plans = new ArrayList<>();
        for (int py = 0; py < rows.size(); py++) {
            Phase ph = rows.get(py);
            for (int px = 0; px < cols.size(); px++) {
                Phase pw = cols.get(px);
                plans.add(new ConvPlan(g.n(), g.k(), g.outH(), g.outW(), 1, 1, top, left, paddedH, paddedW, 1, 1,
                        ph.dilation, pw.dilation, ph.taps, pw.taps, g.c(), ph.length, pw.length, g.groups(),
                        g.kPerGroup(), g.cPerGroup(), true,
                        new WeightTaps(g.r(), g.s(), ph.first, -ph.tapStep, pw.first, -pw.tapStep),
                        new Placement(g.h(), g.w(), py, sp.strideH(), px, sp.strideW()), top - ph.top, left - pw.top));
            }
        }
        return plans;
    }

    /**
     * One axis of an input phase {@code p} of the input gradient: the input pixels {@code p + i*stride}
     * ({@code i < length}) receive {@code dy[i - q(r)] * w[r]} from the taps {@code r} with
     * {@code r*dilation - p - pad} divisible by the stride, where {@code q(r) = (r*dilation - p - pad) / stride}.
     * Those taps are {@code first, first - tapStep, ...} ({@code taps} of them); their offsets into the
     * output gradient step by {@code dilation}, the largest tap reads row {@code i - top}.
     */
    private record Phase(int length, int taps, int first, int tapStep, int dilation, int top) {
        static Phase of(int size, int kernel, int stride, int dilation, int pad, int p) {
            int length = PlaneLayout.ceilDiv(size - p, stride);
            int gcd = PlaneLayout.gcd(stride, dilation);
            int first = kernel - 1;
            while (first >= 0 && Math.floorMod(first * dilation - p - pad, stride) != 0) {
                first--;
            }
            int tapStep = stride / gcd;
            int taps = first < 0 ? 0 : first / tapStep + 1;
            int top = first < 0 ? 0 : (first * dilation - p - pad) / stride;
            return new Phase(length, taps, first, tapStep, dilation / gcd, top);
        }

        /** The phases {@code 0 .. min(stride, size) - 1} (a phase with no pixel is left out). */
        static List<Phase> all(int size, int kernel, int stride, int dilation, int pad) {
            List<Phase> phases = new ArrayList<>();
            for (int p = 0; p < Math.min(stride, size); p++) {
                phases.add(of(size, kernel, stride, dilation, pad, p));
            }
            return phases;
        }

        /** The largest top margin of the phases that have taps. */
        static int commonTop(List<Phase> phases) {
            return phases.stream().filter(p -> p.taps > 0).mapToInt(Phase::top).max().orElse(0);
        }

        /** Padded extent holding every phase's output rows and taps when the source starts at {@code top}. */
        static int commonPadded(List<Phase> phases, int top) {
            return phases.stream().filter(p -> p.taps > 0)
                    .mapToInt(p -> top - p.top + p.length + (p.taps - 1) * p.dilation).max().orElse(1);
        }
    }

    /**
     * True when output pixel {@code (oh, ow)} of the plan is pixel {@code (oh, ow)} of the destination and
     * tap 0 sits at the output pixel's own position: every plan but the phases of an input gradient at
     * stride > 1. Paths that index the output densely (or ignore {@link #originH()}) must check it.
     */
    boolean isDense() {
        return placement.stepY() == 1 && placement.stepX() == 1 && placement.y0() == 0 && placement.x0() == 0
                && placement.dstH() == outH && placement.dstW() == outW && originH == 0 && originW == 0;
    }

    int taps() {
        return r * s;
    }

    /** Index in the OIHW weight array of the weight joining output {@code o} and reduction channel {@code red} of group {@code g} at tap {@code t}. */
    int weightIndex(int g, int o, int red, int t) {
        int kernelTaps = weightTaps.kernelR() * weightTaps.kernelS();
        int tap = weightTaps.index(t / s, t % s);
        return transposed
                ? ((g * reduction + red) * outputs + o) * kernelTaps + tap
                : ((g * outputs + o) * reduction + red) * kernelTaps + tap;
    }

    /** Distance in the weight array between the weights of consecutive outputs (same reduction channel and tap). */
    int weightOutputStride() {
        int kernelTaps = weightTaps.kernelR() * weightTaps.kernelS();
        return transposed ? kernelTaps : reduction * kernelTaps;
    }

    /** Distance in the weight array between the weights of consecutive reduction channels (same output and tap). */
    int weightReductionStride() {
        int kernelTaps = weightTaps.kernelR() * weightTaps.kernelS();
        return transposed ? outputs * kernelTaps : kernelTaps;
    }

    /** For every tap {@code t} of the plan, the index {@code r*S + s} of the weight tap it uses. */
    int[] weightTapIndices() {
        int[] index = new int[taps()];
        for (int t = 0; t < index.length; t++) {
            index[t] = weightTaps.index(t / s, t % s);
        }
        return index;
    }

    /** The offset of every tap {@code t = r*S + s} in a channel, from the position of its output pixel, laid out by {@code layout}. */
    int[] tapOffsets(PlaneLayout layout) {
        int[] off = new int[taps()];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < s; j++) {
                off[i * s + j] = layout.offset(originH + i * dilationH, originW + j * dilationW);
            }
        }
        return off;
    }
}
