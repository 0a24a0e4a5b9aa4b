package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;

import java.util.Arrays;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Parallel;

/**
 * The weight gradient of a depthwise convolution (one input and one output channel per group):
 * {@code dW[g][t] = sum over images, positions p of dy[g][p] * x[g][p + offset(t)]}, a handful of dot
 * products per channel with 1 FMA per float read, so bound by memory traffic. One task per channel
 * sums over the images in order in lane-wise partial sums (reduced once per channel at the end), so
 * the result does not depend on the thread count.
 * <ul>
 * <li>stride 1: the NCHW planes are read in place ({@link DepthwiseKernels#gradStrip3x3}: rolls down the
 *     source rows, each loaded once per strip of 4 vectors and meeting 3 gradient rows, 9 lane-wise
 *     sums in registers; {@link DepthwiseKernels#gradTaps} with masked loads for other kernel sizes);</li>
 * <li>other strides: each image's plane and gradient rows are packed into a per-thread buffer that stays
 *     in L1 ({@link PlaneLayout}: a strided tap becomes a contiguous run) and
 *     {@link MicroKernels#grad1x9} (3x3) or {@link MicroKernels#grad1x6} runs over it at once.</li>
 * </ul>
 */
final class DepthwiseWeightGradient {
    private DepthwiseWeightGradient() {
    }

    static boolean applies(ConvGeometry g) {
        return g.groups() > 1 && g.cPerGroup() == 1 && g.kPerGroup() == 1;
    }

    static void run(ConvGeometry g, float[] x, float[] dy, float[] dw, int threads) {
        if (g.spec().strideH() == 1 && g.spec().strideW() == 1) {
            runInPlace(g, x, dy, dw, threads);
        } else {
            runPacked(g, x, dy, dw, threads);
        }
    }

    private static void runInPlace(ConvGeometry g, float[] x, float[] dy, float[] dw, int threads) {
        var sp = g.spec();
        DepthwisePlane p = new DepthwisePlane(g.h(), g.w(), g.outH(), g.outW(), sp.padTop(), sp.padLeft(), g.r(),
                g.s(), sp.dilationH(), sp.dilationW());
        DepthwiseColumns cols = p.disjointColumns();
        int taps = p.taps(), bufferFloats = DepthwiseKernels.bufferFloats(cols);
        boolean threeByThree = p.r() == 3 && p.s() == 3;
        Parallel.forEach(g.groups(), threads, grp -> {
            float[] acc = Workspace.task(Workspace.RESULTS, taps * LANES);
            Arrays.fill(acc, 0, taps * LANES, 0f);
            float[] buf = threeByThree ? Workspace.task(Workspace.PACKED, bufferFloats) : null;
            if (threeByThree) {
                Arrays.fill(buf, 0, bufferFloats, 0f); // the margins: padding columns and the gradient rows' tails
            }
            for (int n = 0; n < g.n(); n++) {
                int xb = (n * g.c() + grp) * p.srcPlane(), db = (n * g.k() + grp) * p.outPlane();
                if (threeByThree) {
                    for (int strip = 0; strip < cols.strips(); strip++) {
                        DepthwiseKernels.gradStrip3x3(p, cols, strip, x, xb, dy, db, buf, acc);
                    }
                } else {
                    DepthwiseKernels.gradTaps(p, cols, x, xb, dy, db, acc);
                }
            }
            for (int t = 0; t < taps; t++) {
                dw[grp * taps + t] = MicroKernels.sumLanes(acc, t * LANES);
            }
        });
    }

    private static void runPacked(ConvGeometry g, float[] x, float[] dy, float[] dw, int threads) {
        ConvPlan plan = ConvPlan.forward(g);
        PlaneLayout layout = PlaneLayout.of(1, plan.paddedH(), plan.paddedW(), plan.strideH(), plan.strideW());
        int[] tapOff = plan.tapOffsets(layout);
        int taps = tapOff.length;
        int cols = taps % 9 == 0 ? 9 : 6; // 3x3: one 9-column tile, else tiles of 6 (the last partial)
        int colTiles = PlaneLayout.ceilDiv(taps, cols);
        int[] colOff = Arrays.copyOf(tapOff, colTiles * cols); // padding columns read tap offset 0 and are dropped
        int maxTap = Arrays.stream(tapOff).max().orElse(0);
        int chStride = layout.channelStride();
        int length = PlaneLayout.ceilDiv(layout.positions(g.outH(), g.outW()), LANES) * LANES;
        int xFloats = chStride + maxTap + LANES; // the plane and a zero margin read (times zero gradients) past it
        int outH = g.outH(), outW = g.outW(), plane = outH * outW, srcPlane = g.h() * g.w();
        Parallel.forEach(g.groups(), threads, grp -> {
            float[] buf = Workspace.task(Workspace.PACKED, xFloats + length);
            float[] acc = Workspace.task(Workspace.RESULTS, colTiles * cols * LANES);
            Arrays.fill(acc, 0, colTiles * cols * LANES, 0f);
            Arrays.fill(buf, chStride, xFloats + length, 0f);
            for (int n = 0; n < g.n(); n++) {
                layout.pack(x, (n * g.c() + grp) * srcPlane, srcPlane, g.h(), g.w(), 1, 1, plan.top(), plan.left(),
                        buf, 0);
                int from = (n * g.k() + grp) * plane;
                for (int oh = 0; oh < outH; oh++) { // the gradient at the flat positions; the junk columns stay zero
                    System.arraycopy(dy, from + oh * outW, buf, xFloats + oh * layout.cols(), outW);
                }
                for (int ct = 0; ct < colTiles; ct++) {
                    if (cols == 9) {
                        MicroKernels.grad1x9(buf, xFloats, buf, 0, colOff, ct * cols, length, acc, ct * cols * LANES);
                    } else {
                        MicroKernels.grad1x6(buf, xFloats, buf, 0, colOff, ct * cols, length, acc, ct * cols * LANES);
                    }
                }
            }
            for (int t = 0; t < taps; t++) {
                dw[grp * taps + t] = MicroKernels.sumLanes(acc, t * LANES);
            }
        });
    }
}
