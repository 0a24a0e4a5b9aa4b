package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.GradientCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stride-1 depthwise paths that read NCHW in place ({@link DepthwiseConvolution},
 * {@link DepthwiseWeightGradient}, {@link DepthwiseKernels}): rows of every width from 1 to 70 (below,
 * at and above every vector multiple, so every edge strip, shifted-back last vector, partial gradient
 * vector and spare vector), asymmetric paddings 0-2, kernels 1x1 to 5x5 (3x3 takes the rolling kernels,
 * the others the masked ones), dilations 1-2, batches above 1, with and without bias; against the
 * double-precision reference, a case worked out by hand, finite differences, and 1, 2, 3 threads.
 */
class DepthwisePathsTest {
    private static final ConvEngine SIMD = new SimdConvEngine();
    private static final int L = MicroKernels.LANES;

    @AfterEach
    void resetThreads() {
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    private static ConvProblem depthwise(int n, int c, int h, int w, int r, int s, int top, int bottom, int left,
                                         int right, int dh, int dw, boolean bias, long seed) {
        Conv2dSpec spec = Conv2dSpec.builder().pad(top, bottom, left, right).dilation(dh, dw).groups(c).build();
        return new ConvProblem(n, c, h, w, c, r, s, spec, bias, seed);
    }

    /** One problem per input width 1..70, kernel, paddings and dilations drawn per width (invalid draws redrawn). */
    static Stream<ConvProblem> everyWidth() {
        SplittableRandom rnd = new SplittableRandom(7);
        Stream.Builder<ConvProblem> b = Stream.builder();
        for (int w = 1; w <= 70; w++) {
            while (true) {
                int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5), dh = 1 + rnd.nextInt(2), dw = 1 + rnd.nextInt(2);
                int top = rnd.nextInt(3), bottom = rnd.nextInt(3), left = rnd.nextInt(3), right = rnd.nextInt(3);
                int h = 3 + rnd.nextInt(5);
                if (h + top + bottom < dh * (r - 1) + 1 || w + left + right < dw * (s - 1) + 1) {
                    continue;
                }
                b.add(depthwise(1 + rnd.nextInt(3), 2 + rnd.nextInt(2), h, w, r, s, top, bottom, left, right, dh, dw,
                        w % 2 == 0, 100 + w));
                break;
            }
        }
        return b.build();
    }

    /**
     * 3x3 (the rolling kernels) at widths around 1, 2, 3 and 4 vectors and 56, with symmetric, none and
     * asymmetric padding, dilation 1 and 2, heights of one and several {@link DepthwiseKernels#ROW_BLOCK}s.
     */
    static Stream<ConvProblem> threeByThree() {
        int[][] pads = {{1, 1, 1, 1}, {0, 0, 0, 0}, {2, 0, 0, 2}, {0, 2, 2, 1}};
        Stream.Builder<ConvProblem> b = Stream.builder();
        int seed = 300;
        for (int w : new int[] {L - 1, L, L + 1, 2 * L - 1, 2 * L + 1, 3 * L, 56, 4 * L, 4 * L + 1, 70}) {
            for (int[] p : pads) {
                for (int d = 1; d <= 2; d++) {
                    b.add(depthwise(1 + seed % 2, 2, 5 + 3 * (seed % 5), w, 3, 3, p[0], p[1], p[2], p[3], d, d, seed % 3 != 0,
                            seed));
                    seed++;
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource({"everyWidth", "threeByThree"})
    void agreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p);
    }

    /** The generated problems do reach the in-place paths (and their 3x3 and generic kernels) and the edge strips. */
    @Test
    void problemsTakeTheInPlacePaths() {
        int forward = 0, inputGradient = 0, rolling = 0, edges = 0, interior = 0;
        for (ConvProblem p : Stream.concat(everyWidth(), threeByThree()).toList()) {
            ConvGeometry g = p.geometry();
            assertTrue(DepthwiseWeightGradient.applies(g), p.toString());
            ConvPlan fp = ConvPlan.forward(g), bp = ConvPlan.backwardInput(g).getFirst();
            assertEquals(g.outW() >= L, DepthwiseConvolution.applies(fp), "forward of " + p);
            assertEquals(g.w() >= L, DepthwiseConvolution.applies(bp), "input gradient of " + p);
            forward += DepthwiseConvolution.applies(fp) ? 1 : 0;
            inputGradient += DepthwiseConvolution.applies(bp) ? 1 : 0;
            rolling += g.r() == 3 && g.s() == 3 && DepthwiseConvolution.applies(fp) ? 1 : 0;
            if (DepthwiseConvolution.applies(fp)) {
                DepthwiseColumns cols = DepthwiseColumns.overlapping(g.outW(), g.w(), g.s(), g.spec().dilationW(),
                        g.spec().padLeft());
                for (boolean e : cols.edge) {
                    edges += e ? 1 : 0;
                    interior += e ? 0 : 1;
                }
            }
        }
        assertTrue(forward >= 50 && inputGradient >= 50 && rolling >= 40, forward + " " + inputGradient + " " + rolling);
        assertTrue(edges >= 50 && interior >= 10, "edge strips " + edges + ", interior strips " + interior);
    }

    /**
     * Worked out by hand: ones in, ones as weights, padding 1, two rows. Every output pixel sees both
     * rows, so it counts 2 x (valid columns): 4 at the row's ends, 6 inside; the input gradient of ones
     * is the same. The weight gradient of ones counts, per tap, the positions where it meets the image:
     * rows 1, 2, 1 times columns W-1, W, W-1.
     */
    @Test
    void onesByHand() {
        for (int w : new int[] {L, L + 1, 40, 56, 70}) {
            Conv2dSpec spec = Conv2dSpec.builder().pad(1).groups(2).build();
            Tensor x = Tensor.zeros(1, 2, 2, w), weight = Tensor.zeros(2, 1, 3, 3), out = Tensor.zeros(1, 2, 2, w);
            x.fill(1f);
            weight.fill(1f);
            Tensor dy = x.copy(), dx = Tensor.zeros(1, 2, 2, w), dw = Tensor.zeros(2, 1, 3, 3);
            SIMD.forward(x, weight, null, spec, out);
            SIMD.backwardInput(dy, weight, spec, dx);
            SIMD.backwardWeight(x, dy, spec, dw, null);
            float[] row = new float[w];
            java.util.Arrays.fill(row, 6f);
            row[0] = 4f;
            row[w - 1] = 4f;
            for (int ch = 0; ch < 2; ch++) {
                for (int y = 0; y < 2; y++) {
                    int at = (ch * 2 + y) * w;
                    assertArrayEquals(row, java.util.Arrays.copyOfRange(out.data(), at, at + w), "forward, width " + w);
                    assertArrayEquals(row, java.util.Arrays.copyOfRange(dx.data(), at, at + w), "input gradient, width " + w);
                }
                float e = w - 1;
                float[] expected = {e, w, e, 2 * e, 2 * w, 2 * e, e, w, e};
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(dw.data(), ch * 9, ch * 9 + 9),
                        "weight gradient, width " + w);
            }
        }
    }

    @Test
    void backwardPassesMatchFiniteDifferences() {
        GradientCheck.assertMatches(SIMD, depthwise(2, 2, 5, 20, 3, 3, 2, 0, 1, 2, 2, 1, true, 400));
        GradientCheck.assertMatches(SIMD, depthwise(1, 2, 4, 18, 2, 4, 0, 1, 2, 1, 1, 2, true, 401));
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
        List<ConvProblem> problems = threeByThree().filter(p -> p.n() > 1).limit(12).toList();
        SimdEngineThreadingTest.assertSameForOneTwoAndThreeThreads(problems);
    }

    /** The interpreted first call and the JIT-compiled later ones give the same bits (FMAs and lane sums in a fixed order). */
    @Test
    void compiledKernelsGiveTheFirstCallsBits() {
        for (ConvProblem p : List.of(depthwise(2, 3, 7, 40, 3, 3, 1, 1, 1, 1, 1, 1, true, 500),
                depthwise(1, 2, 6, 21, 2, 5, 1, 0, 2, 1, 1, 2, true, 501))) {
            ConvGeometry g = p.geometry();
            Tensor x = p.input(), w = p.weight(), b = p.bias(), dy = p.gradOutput();
            Tensor y = Tensor.zeros(g.outputShape()), dx = Tensor.zeros(g.inputShape());
            Tensor dw = Tensor.zeros(g.weightShape()), db = Tensor.zeros(g.k());
            float[][] first = null;
            for (int call = 0; call < 1500; call++) { // some 9000 kernel calls: C2 compiles them
                SIMD.forward(x, w, b, g.spec(), y);
                SIMD.backwardInput(dy, w, g.spec(), dx);
                SIMD.backwardWeight(x, dy, g.spec(), dw, db);
                float[][] now = {y.data().clone(), dx.data().clone(), dw.data().clone(), db.data().clone()};
                if (first == null) {
                    first = now;
                }
                for (int pass = 0; pass < first.length; pass++) {
                    assertArrayEquals(first[pass], now[pass], "call " + call + ", result " + pass + " of " + p);
                }
            }
        }
    }

    @Test
    void columnsDescribeTheRow() {
        // 56 wide, padding 1: vectors at 0, 16, 32 and the last shifted back to 40; one strip, an edge strip
        DepthwiseColumns o = DepthwiseColumns.overlapping(56, 56, 3, 1, 1);
        if (L == 16) {
            assertArrayEquals(new int[] {0, 16, 32, 40}, o.starts);
            assertArrayEquals(new int[] {-1, 15, 31, 39}, o.source);
            assertEquals(1, o.pad);
            assertEquals(0, o.lo[0]);
            assertEquals(56, o.hi[0]);
        }
        assertTrue(o.edge[0]);
        // disjoint: the last vector owns the row's tail only, spare vectors own nothing
        DepthwiseColumns d = DepthwiseColumns.disjoint(L + 3, L + 3, 3, 1, 1);
        assertEquals(DepthwiseColumns.lanes(0, L), d.owned[0]);
        assertEquals(DepthwiseColumns.lanes(0, 3), d.owned[1]);
        assertEquals(0L, d.owned[DepthwiseColumns.STRIP - 1]);
        assertThrows(IllegalArgumentException.class, () -> DepthwiseColumns.overlapping(L - 1, L, 3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DepthwisePlane(0, 5, 5, 5, 1, 1, 3, 3, 1, 1));
    }
}
