package org.conv4j.im2col;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvGeometry;

/**
 * The matrix view of one convolution that all three passes share: per group, the weights are a
 * {@code kPerGroup x rows} matrix, the lowered input a {@code rows x pixels} matrix and the output a
 * {@code kPerGroup x pixels} matrix, with rows = C/groups·R·S and pixels = OH·OW; plus the flat
 * offsets of those matrices inside the NCHW / OIHW arrays, and the pixel tile that keeps a lowered
 * column matrix within {@link LoweringWorkspace#BUDGET_FLOATS}.
 */
record ConvLayout(ConvGeometry g, int rows, int taps, int pixels, int plane, int tile, boolean pointwise) {

    static ConvLayout of(ConvGeometry g) {
        int rows = g.reductionLength(), pixels = g.outH() * g.outW();
        return new ConvLayout(g, rows, g.r() * g.s(), pixels, g.h() * g.w(),
                LoweringWorkspace.tilePixels(rows, pixels), isPointwise(g));
    }

    /**
     * A 1x1, stride-1, unpadded convolution: its column matrix is the input planes themselves
     * (OH·OW = H·W), so no lowering is needed.
     */
    static boolean isPointwise(ConvGeometry g) {
        Conv2dSpec sp = g.spec();
        return g.r() == 1 && g.s() == 1 && sp.strideH() == 1 && sp.strideW() == 1 && sp.padTop() == 0
                && sp.padBottom() == 0 && sp.padLeft() == 0 && sp.padRight() == 0;
    }

    int groups() {
        return g.groups();
    }

    int cPerGroup() {
        return g.cPerGroup();
    }

    int kPerGroup() {
        return g.kPerGroup();
    }

    /** Offset of input plane {@code channel} (absolute) of image {@code n}. */
    int input(int n, int channel) {
        return (n * g.c() + channel) * plane;
    }

    /** Offset of output plane {@code k} (absolute) of image {@code n}. */
    int output(int n, int k) {
        return (n * g.k() + k) * pixels;
    }

    /** Offset of weight {@code [k, c, 0, 0]}: row k, column c·R·S of the group's weight matrix. */
    int weight(int k, int c) {
        return k * rows + c * taps;
    }

    /** Start of part {@code index} of {@code total} items split into {@code parts} near-equal parts. */
    static int split(int index, int total, int parts) {
        return (int) ((long) index * total / parts);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
