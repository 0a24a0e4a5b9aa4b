package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConcurrencyCheck;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.GradientCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paths for small shapes: image lanes (small planes, images along the vectors), batch slices of
 * the flat weight gradient, depthwise (row-wise passes, per-channel weight gradient) and dense layers.
 * Shapes asserted to select each path, partial image blocks, every row tail, panel remainders,
 * padding, dilation, strides; against the reference, finite differences, and bit-identical results
 * for 1, 2 and 3 threads.
 */
class SmallShapePathsTest {
    private static final ConvEngine SIMD = new SimdConvEngine();
    private static final int L = MicroKernels.LANES;

    @AfterEach
    void resetThreads() {
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    /** Shapes that take the image-lanes path in all three passes (checked in {@link #lanesShapesSelectThePath}). */
    static Stream<ConvProblem> lanes() {
        Stream.Builder<ConvProblem> b = Stream.builder();
        b.add(new ConvProblem(L, 6, 14, 14, 16, 5, 5, Conv2dSpec.DEFAULT, true, 1)); // LeNet conv2, one block
        b.add(new ConvProblem(L + 1, 6, 9, 9, 7, 3, 3, Conv2dSpec.of(1, 1), true, 2)); // a one-image last block
        b.add(new ConvProblem(2 * L + 5, 5, 8, 11, 13, 3, 3, Conv2dSpec.of(1, 1), false, 3)); // 3 panels, last of 1
        b.add(new ConvProblem(L + 7, 8, 7, 6, 5, 3, 3,
                Conv2dSpec.builder().pad(2, 0, 1, 3).dilation(2, 1).build(), true, 4)); // asymmetric pad, dilation
        for (int w = 1; w <= 9; w++) { // output rows of 1..9 pixels: every tail of the 4- and 2-vector tiles
            b.add(new ConvProblem(L + w % 3, 8, 4, w + 2, 8, 3, 3, Conv2dSpec.DEFAULT, w % 2 == 0, 10 + w));
        }
        return b.build();
    }

    /** Shapes whose weight gradient takes the flat form with several batch slices (stride, many outputs, big planes, small batches). */
    static Stream<ConvProblem> slices() {
        return Stream.of(
                new ConvProblem(12, 2, 40, 40, 5, 3, 3, Conv2dSpec.of(1, 1), true, 20), // 4 slices of 3
                new ConvProblem(20, 2, 30, 30, 6, 3, 3, Conv2dSpec.of(2, 1), true, 21), // stride 2
                new ConvProblem(6, 2, 30, 30, 70, 3, 3, Conv2dSpec.of(1, 1), true, 22), // transposed form, 2 slices
                new ConvProblem(13, 3, 33, 30, 6, 5, 5, Conv2dSpec.of(1, 2), false, 23), // uneven last slice
                new ConvProblem(40, 4, 20, 20, 8, 3, 3, Conv2dSpec.of(1, 1).withGroups(4), true, 24)); // groups
    }

    /** Dense layers (1x1 on 1x1): partial row panels and column tiles of both tile shapes, channel tails, several reduction blocks, 64-column strips and their tails. */
    static Stream<ConvProblem> dense() {
        return Stream.of(
                new ConvProblem(1, 1, 1, 1, 1, 1, 1, Conv2dSpec.DEFAULT, true, 40),
                new ConvProblem(3, 17, 1, 1, 5, 1, 1, Conv2dSpec.DEFAULT, true, 41),
                new ConvProblem(4, 16, 1, 1, 6, 1, 1, Conv2dSpec.DEFAULT, false, 42),
                new ConvProblem(7, 600, 1, 1, 13, 1, 1, Conv2dSpec.DEFAULT, true, 43),
                new ConvProblem(13, 70, 1, 1, 64, 1, 1, Conv2dSpec.of(2, 0), true, 44),
                new ConvProblem(67, 130, 1, 1, 65, 1, 1, Conv2dSpec.DEFAULT, true, 45),
                new ConvProblem(30, 257, 1, 1, 12, 1, 1, Conv2dSpec.DEFAULT, false, 46));
    }

    /** Depthwise (one task per channel): strides, dilation, asymmetric padding, 5x5 taps (5 column tiles of the weight gradient, the last partial), rows of 16..37 outputs for every shifted-back last vector. */
    static Stream<ConvProblem> depthwise() {
        return Stream.of(
                new ConvProblem(3, 5, 12, 13, 5, 3, 3, Conv2dSpec.of(1, 1).withGroups(5), true, 50),
                new ConvProblem(2, 4, 15, 11, 4, 3, 3, Conv2dSpec.of(2, 1).withGroups(4), false, 51),
                new ConvProblem(1, 3, 14, 16, 3, 5, 5,
                        Conv2dSpec.builder().pad(2, 1, 0, 3).dilation(1, 2).groups(3).build(), true, 52),
                new ConvProblem(4, 2, 9, 9, 2, 3, 3, Conv2dSpec.builder().stride(1, 2).groups(2).build(), true, 53),
                // output rows of 16 and more: the row-wise depthwise forward and input gradient as well
                new ConvProblem(2, 4, 9, 20, 4, 3, 3, Conv2dSpec.of(1, 1).withGroups(4), true, 54),
                new ConvProblem(1, 3, 7, 33, 3, 5, 5,
                        Conv2dSpec.builder().pad(2, 1, 0, 3).dilation(1, 2).groups(3).build(), true, 55),
                new ConvProblem(2, 2, 5, 18, 2, 3, 3, Conv2dSpec.DEFAULT.withGroups(2), false, 56),
                new ConvProblem(1, 5, 6, 37, 5, 3, 3, Conv2dSpec.of(1, 2).withGroups(5), true, 57));
    }

    @Test
    void depthwiseShapesSelectThePath() {
        depthwise().forEach(p -> {
            var g = p.geometry();
            assertTrue(DepthwiseWeightGradient.applies(g), p.toString());
            boolean unitStride = g.spec().strideW() == 1 && g.spec().strideH() == 1;
            if (unitStride && g.outW() >= L) {
                assertTrue(DepthwiseConvolution.applies(ConvPlan.forward(g)), "forward of " + p);
            }
            if (unitStride && g.w() >= L) {
                assertTrue(DepthwiseConvolution.applies(ConvPlan.backwardInput(g).getFirst()), "input gradient of " + p);
            }
        });
    }

    @Test
    void denseShapesSelectThePath() {
        dense().forEach(p -> assertTrue(FullyConnected.applies(p.geometry()), p.toString()));
    }

    @Test
    void lanesShapesSelectThePath() {
        lanes().forEach(p -> {
            var g = p.geometry();
            assertTrue(ImageLanesConvolution.appliesToWeightGradient(g), "weight gradient of " + p);
            if (g.c() * g.r() * g.s() >= ImageLanesConvolution.MIN_REDUCTION) {
                assertTrue(ImageLanesConvolution.applies(ConvPlan.forward(g)), "forward of " + p);
            }
        });
        assertTrue(ImageLanesConvolution.applies(ConvPlan.backwardInput(lanes().findFirst().orElseThrow().geometry()).getFirst()));
        // 2 junk columns of 34: the flat layout is faster for the forward pass, the lanes one for the weight gradient
        var wide = new ConvProblem(L, 16, 32, 32, 16, 3, 3, Conv2dSpec.of(1, 1), true, 0).geometry();
        assertTrue(!ImageLanesConvolution.applies(ConvPlan.forward(wide)));
        assertTrue(ImageLanesConvolution.appliesToWeightGradient(wide));
    }

    @Test
    void sliceShapesUseSeveralSlices() {
        slices().forEach(p -> {
            var g = p.geometry();
            int per = WeightGradient.sliceImages(g, ConvPlan.forward(g), PackedChunk.floatsPerImage(ConvPlan.forward(g)));
            assertTrue(per < g.n(), "one slice for " + p);
            assertTrue(!ImageLanesConvolution.appliesToWeightGradient(g), "lanes path for " + p);
        });
    }

    @ParameterizedTest
    @MethodSource({"lanes", "slices", "dense", "depthwise"})
    void agreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p);
    }

    @Test
    void backwardPassesMatchFiniteDifferences() {
        GradientCheck.assertMatches(SIMD, new ConvProblem(L + 1, 4, 6, 7, 5, 3, 3, Conv2dSpec.of(1, 1), true, 30));
        GradientCheck.assertMatches(SIMD, new ConvProblem(2, 3, 7, 18, 3, 3, 3, Conv2dSpec.of(1, 1).withGroups(3), true, 31));
        GradientCheck.assertMatches(SIMD, new ConvProblem(5, 9, 1, 1, 4, 1, 1, Conv2dSpec.DEFAULT, true, 32));
    }

    /** Concurrent callers (their calls' workspaces and per-thread task scratch) get the single-caller results on every path. */
    @Test
    void concurrentCallersGetSingleCallerResults() throws Exception {
        List<ConvProblem> problems = Stream.of(lanes().limit(4), slices().limit(2), dense().skip(3), depthwise().skip(3))
                .flatMap(s -> s).toList();
        ConcurrencyCheck.assertThreadSafe(SIMD, problems, 4, 2);
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
        List<ConvProblem> problems = Stream.of(lanes(), slices(), dense(), depthwise()).flatMap(s -> s).toList();
        SimdEngineThreadingTest.assertSameForOneTwoAndThreeThreads(problems);
    }
}
