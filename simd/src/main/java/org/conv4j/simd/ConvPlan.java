package org.conv4j.simd;

import org.conv4j.core.ConvGeometry;

/**
 * A direct convolution as {@link DirectConvolution} runs it: a source tensor {@code [batch, srcChannels,
 * srcH, srcW]} placed (upsampled, shifted, cropped or zero-padded) into a {@code paddedH x paddedW}
 * plane, convolved with stride and dilation into {@code [batch, outChannels, outH, outW]}. The forward
 * pass is one; the input gradient is another (the output gradient upsampled by the stride, padded by
 * the dilated kernel extent less the forward padding, convolved at stride 1 with the weights
 * transposed per group and flipped in both axes).
 *
 * @param reduction input channels per group that each output sums over
 * @param outputs   output channels per group
 * @param transposed true when the weights are read as {@code w[g*reduction + red][o][R-1-r][S-1-s]}
 *                   (the input gradient) instead of {@code w[g*outputs + o][red][r][s]}
 */
record ConvPlan(int batch, int srcChannels, int srcH, int srcW, int upH, int upW, int top, int left,
                int paddedH, int paddedW, int strideH, int strideW, int dilationH, int dilationW, int r, int s,
                int outChannels, int outH, int outW, int groups, int reduction, int outputs, boolean transposed) {

    static ConvPlan forward(ConvGeometry g) {
        var sp = g.spec();
        return new ConvPlan(g.n(), g.c(), g.h(), g.w(), 1, 1, sp.padTop(), sp.padLeft(),
                g.h() + sp.padTop() + sp.padBottom(), g.w() + sp.padLeft() + sp.padRight(),
                sp.strideH(), sp.strideW(), sp.dilationH(), sp.dilationW(), g.r(), g.s(),
                g.k(), g.outH(), g.outW(), g.groups(), g.cPerGroup(), g.kPerGroup(), false);
    }

    static ConvPlan backwardInput(ConvGeometry g) {
        var sp = g.spec();
        int spanH = (g.r() - 1) * sp.dilationH(), spanW = (g.s() - 1) * sp.dilationW();
        return new ConvPlan(g.n(), g.k(), g.outH(), g.outW(), sp.strideH(), sp.strideW(),
                spanH - sp.padTop(), spanW - sp.padLeft(), g.h() + spanH, g.w() + spanW,
                1, 1, sp.dilationH(), sp.dilationW(), g.r(), g.s(),
                g.c(), g.h(), g.w(), g.groups(), g.kPerGroup(), g.cPerGroup(), true);
    }

    int taps() {
        return r * s;
    }

    /** Index in the OIHW weight array of the weight joining output {@code o} and reduction channel {@code red} of group {@code g} at tap {@code t}. */
    int weightIndex(int g, int o, int red, int t) {
        int taps = taps();
        return transposed
                ? ((g * reduction + red) * outputs + o) * taps + (taps - 1 - t)
                : ((g * outputs + o) * reduction + red) * taps + t;
    }

    /** The offset of every tap {@code t = r*S + s} in a channel laid out by {@code layout}. */
    int[] tapOffsets(PlaneLayout layout) {
        int[] off = new int[taps()];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < s; j++) {
                off[i * s + j] = layout.offset(i * dilationH, j * dilationW);
            }
        }
        return off;
    }
}
