package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The LeNet paths: shifted planes (short reductions, results straight into NCHW) and row reuse (one
 * output from a 5-row kernel). Shapes asserted to select each path, output planes around the tile
 * sizes (every remainder kind: none, a shifted-back 2-vector tile, a shifted-back 4-vector tile),
 * rows around vector multiples, padding, dilation, panel remainders, batches of 1 (panels split
 * across tasks), bias or none; against the reference, finite differences, a hand-computed case and
 * bit-identical results for 1, 2 and 3 threads.
 */
class LeNetPathsTest {
    private static final ConvEngine SIMD = new SimdConvEngine();
    private static final int L = MicroKernels.LANES;

    @AfterEach
    void resetThreads() {
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    /** Problems whose forward pass takes the shifted-planes path (checked in {@link #shiftedShapesSelectThePath}). */
    static Stream<ConvProblem> shifted() {
        return Stream.of(
                new ConvProblem(3, 1, 28, 28, 6, 5, 5, Conv2dSpec.of(1, 2), true, 1), // LeNet conv1: 784 = 12 tiles + 1 vector
                new ConvProblem(2, 1, 8, 8, 6, 1, 1, Conv2dSpec.DEFAULT, false, 2), // 64 positions: one tile exactly
                new ConvProblem(2, 1, 9, 17, 6, 5, 5, Conv2dSpec.builder().pad(0, 0, 2, 2).build(), true, 3), // 5x17 = 85: a 2-vector tail
                new ConvProblem(1, 2, 10, 18, 7, 3, 3, Conv2dSpec.DEFAULT, true, 4), // 8x16 = 128: two tiles, 2 panels (last of 1), batch 1
                new ConvProblem(2, 1, 7, 14, 4, 3, 3, Conv2dSpec.of(1, 1), false, 5), // 98: a 4-vector tail shifted back
                new ConvProblem(1, 3, 9, 9, 13, 3, 3, Conv2dSpec.of(1, 1), true, 6), // 3 panels, last of 1, batch 1
                new ConvProblem(2, 1, 12, 15, 5, 3, 5,
                        Conv2dSpec.builder().pad(2, 1, 0, 3).dilation(2, 1).build(), true, 7), // asymmetric pad, dilation
                new ConvProblem(2, 1, 11, 23, 6, 3, 3,
                        Conv2dSpec.builder().pad(1, 1, 1, 1).dilation(1, 3).build(), false, 8), // column dilation
                new ConvProblem(2, 2, 6, 40, 6, 2, 4, Conv2dSpec.builder().pad(0, 1, 3, 0).build(), true, 9), // 40-wide rows
                // rows of (LANES, 2*LANES]: read from the padded planes two rows at a time
                new ConvProblem(2, 1, 9, 28, 6, 5, 5, Conv2dSpec.of(1, 2), true, 10), // odd rows: the last pair shifted back
                new ConvProblem(1, 2, 7, 32, 7, 3, 3, Conv2dSpec.of(1, 1), false, 11), // full rows, 2 panels, batch 1
                new ConvProblem(2, 1, 6, 33, 4, 2, 4,
                        Conv2dSpec.builder().pad(1, 0, 0, 1).dilation(1, 2).build(), true, 12), // 28 columns, dilated
                new ConvProblem(3, 1, 4, 30, 6, 2, 1, Conv2dSpec.DEFAULT, true, 13)); // 3 rows of 30
    }

    @Test
    void rowsOfOneToTwoVectorsReadThePaddedPlanes() {
        shifted().forEach(p -> {
            int outW = p.geometry().outW();
            boolean expected = outW > L && outW <= 2 * L && 7 * (2 * L - outW) <= outW;
            assertEquals(expected, ShiftedPlanesConvolution.readsPaddedRows(ConvPlan.forward(p.geometry())), p.toString());
        });
        if (L == 16) { // AVX-512: LeNet conv1 and the four shapes added for this form
            assertEquals(List.of(1L, 10L, 11L, 12L, 13L), shifted()
                    .filter(p -> ShiftedPlanesConvolution.readsPaddedRows(ConvPlan.forward(p.geometry())))
                    .map(ConvProblem::dataSeed).toList());
        }
    }

    /** Problems whose forward pass (one output, 5-row kernel) takes the row-reuse path. */
    static Stream<ConvProblem> rowReuse() {
        return Stream.of(
                new ConvProblem(2, 6, 7, L, 1, 5, 5, Conv2dSpec.of(1, 2), true, 20), // one row tile, one vector per row
                new ConvProblem(2, 3, 9, L + 1, 1, 5, 3, Conv2dSpec.builder().pad(2, 2, 1, 1).build(), false, 21), // rows 9: tile shifted back
                new ConvProblem(1, 2, 28, 28, 1, 5, 5, Conv2dSpec.of(1, 2), true, 22), // 2 vectors per row: 0 and 12
                new ConvProblem(2, 2, 14, 2 * L + 9, 1, 5, 5, Conv2dSpec.DEFAULT, true, 23), // 2 pairs, the second shifted back
                new ConvProblem(1, 1, 16, 3 * L + 2, 1, 5, 3,
                        Conv2dSpec.builder().pad(3, 0, 2, 0).dilation(1, 2).build(), false, 24)); // crop-free asymmetric pad, column dilation
    }

    /** Problems whose input gradient (one input channel, 5-row kernel) takes the row-reuse path: LeNet conv1 and relatives. */
    static Stream<ConvProblem> rowReuseInputGradient() {
        return Stream.of(
                new ConvProblem(3, 1, 28, 28, 6, 5, 5, Conv2dSpec.of(1, 2), true, 30), // LeNet conv1
                new ConvProblem(2, 1, 11, 21, 4, 5, 5, Conv2dSpec.of(1, 1), false, 31),
                new ConvProblem(1, 1, 9, 17, 3, 5, 2, Conv2dSpec.builder().pad(5, 0, 1, 0).build(), true, 32)); // top pad > R - 1: the gradient plane is cropped
    }

    @Test
    void shiftedShapesSelectThePath() {
        shifted().forEach(p -> {
            ConvPlan plan = ConvPlan.forward(p.geometry());
            assertTrue(ShiftedPlanesConvolution.applies(plan), p.toString());
            assertFalse(ImageLanesConvolution.applies(plan), p.toString());
        });
        // the input gradient of a few-output layer: reduction 2 x 9, four outputs (the forward's inputs)
        var g = new ConvProblem(2, 4, 9, 9, 2, 3, 3, Conv2dSpec.of(1, 1), true, 0).geometry();
        assertTrue(ShiftedPlanesConvolution.applies(ConvPlan.backwardInput(g).getFirst()));
        // long reductions stay on the image-lanes path; strides on the flat one
        assertFalse(ShiftedPlanesConvolution.applies(ConvPlan.forward(
                new ConvProblem(L, 6, 14, 14, 16, 5, 5, Conv2dSpec.DEFAULT, true, 0).geometry())));
        assertFalse(ShiftedPlanesConvolution.applies(ConvPlan.forward(
                new ConvProblem(2, 1, 28, 28, 6, 5, 5, Conv2dSpec.of(2, 2), true, 0).geometry())));
    }

    @Test
    void shiftedWeightGradientSelection() {
        // whole-vector planes with 6 (or 4) outputs per tile: LeNet conv1, the 64-position plane, the 40-wide rows
        for (long seed : new long[] {1, 2, 9}) {
            ConvProblem p = shifted().filter(q -> q.dataSeed() == seed).findFirst().orElseThrow();
            assertTrue(ShiftedPlanesWeightGradient.applies(p.geometry()), p.toString());
        }
        // 85 positions (a partial vector) and 7 outputs (not a multiple of the tile's rows) are not for it
        assertFalse(ShiftedPlanesWeightGradient.applies(shifted().filter(q -> q.dataSeed() == 3).findFirst().orElseThrow().geometry()));
        assertFalse(ShiftedPlanesWeightGradient.applies(shifted().filter(q -> q.dataSeed() == 4).findFirst().orElseThrow().geometry()));
        // more images than slices, a last slice of fewer images, a 4-row tile
        for (ConvProblem p : List.of(new ConvProblem(19, 1, 12, 12, 6, 5, 5, Conv2dSpec.of(1, 2), true, 70),
                new ConvProblem(11, 2, 8, 8, 4, 3, 3, Conv2dSpec.of(1, 1), false, 71))) {
            assertTrue(ShiftedPlanesWeightGradient.applies(p.geometry()), p.toString());
            ConvCheck.assertAgrees(SIMD, p);
        }
    }

    @Test
    void rowReuseShapesSelectThePath() {
        rowReuse().forEach(p -> assertTrue(RowReuseConvolution.applies(ConvPlan.forward(p.geometry())), p.toString()));
        rowReuseInputGradient().forEach(p -> assertTrue(
                RowReuseConvolution.applies(ConvPlan.backwardInput(p.geometry()).getFirst()), p.toString()));
        // 3-row kernels, rows narrower than a vector and dilated rows are not for this tile
        assertFalse(RowReuseConvolution.applies(ConvPlan.forward(
                new ConvProblem(1, 2, 9, 20, 1, 3, 3, Conv2dSpec.of(1, 1), true, 0).geometry())));
        assertFalse(RowReuseConvolution.applies(ConvPlan.forward(
                new ConvProblem(1, 2, 9, L - 1, 1, 5, 5, Conv2dSpec.of(1, 2), true, 0).geometry())));
        assertFalse(RowReuseConvolution.applies(ConvPlan.forward(
                new ConvProblem(1, 2, 20, 20, 1, 5, 5, Conv2dSpec.of(1, 2).withDilation(2), true, 0).geometry())));
    }

    /** The image-lanes path takes 8-output panels where they waste fewer rows (its row tails: {@code SmallShapePathsTest.lanes}). */
    @Test
    void imageLanesPanelHeights() {
        assertEquals(8, ImageLanesConvolution.panelRows(16)); // LeNet conv2: 2 x 8, not 3 x 6
        assertEquals(8, ImageLanesConvolution.panelRows(8));
        assertEquals(8, ImageLanesConvolution.panelRows(7));
        assertEquals(8, ImageLanesConvolution.panelRows(13));
        assertEquals(MicroKernels.MR, ImageLanesConvolution.panelRows(6));
        assertEquals(MicroKernels.MR, ImageLanesConvolution.panelRows(5));
        assertEquals(MicroKernels.MR, ImageLanesConvolution.panelRows(12));
    }

    /** Image-lanes problems whose forward reduction is split into channel blocks (both panel heights, a partial image block). */
    static Stream<ConvProblem> lanesBlocks() {
        return Stream.of(
                new ConvProblem(L + 3, 20, 8, 8, 6, 5, 5, Conv2dSpec.of(1, 2), true, 60), // 3 blocks of 7, 7, 6 channels
                new ConvProblem(L, 24, 6, 9, 16, 5, 5, Conv2dSpec.builder().pad(2, 1, 2, 2).build(), false, 61)); // 8-row panels
    }

    @Test
    void lanesBlocksSplitTheReduction() {
        lanesBlocks().forEach(p -> {
            ConvPlan plan = ConvPlan.forward(p.geometry());
            assertTrue(ImageLanesConvolution.applies(plan), p.toString());
            assertTrue(ImageLanesConvolution.reductionBlocks(plan) > 1, p.toString());
        });
        // LeNet conv2's input gradient: 16 channels of 18-wide padded rows, 4 blocks; its forward, one
        var conv2 = new ConvProblem(L, 6, 14, 14, 16, 5, 5, Conv2dSpec.DEFAULT, true, 0).geometry();
        assertEquals(4, ImageLanesConvolution.reductionBlocks(ConvPlan.backwardInput(conv2).getFirst()));
        assertEquals(1, ImageLanesConvolution.reductionBlocks(ConvPlan.forward(conv2)));
    }

    @ParameterizedTest
    @MethodSource({"shifted", "rowReuse", "rowReuseInputGradient", "lanesBlocks"})
    void agreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p);
    }

    @Test
    void backwardPassesMatchFiniteDifferences() {
        GradientCheck.assertMatches(SIMD, new ConvProblem(2, 1, 9, 10, 6, 5, 5, Conv2dSpec.of(1, 2), true, 40));
        GradientCheck.assertMatches(SIMD, new ConvProblem(1, 2, 8, 9, 4, 3, 3, Conv2dSpec.of(1, 1), true, 41));
    }

    /**
     * Hand-computed: output {@code k} of a 5x5 kernel has a single weight 1 at tap {@code (k, 4 - k)}, so it is
     * the input shifted by {@code (k - 2, 2 - k)} (zero outside) plus its bias; the input pixel {@code (i, j)}
     * holds {@code 100 i + j}. Both paths in their LeNet roles: shifted planes forward, row reuse for the
     * input gradient (which sums the six shifted gradients back).
     */
    @Test
    void singleTapKernelsShiftTheInput() {
        int h = 9, w = 2 * L - 3, k = 6;
        Conv2dSpec spec = Conv2dSpec.of(1, 2);
        Tensor x = Tensor.zeros(1, 1, h, w), wt = Tensor.zeros(k, 1, 5, 5), b = Tensor.zeros(k);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                x.set(100f * i + j, 0, 0, i, j);
            }
        }
        for (int o = 0; o < k; o++) {
            wt.set(1f, o, 0, o % 5, 4 - o % 5);
            b.set(0.5f * o, o);
        }
        assertTrue(ShiftedPlanesConvolution.applies(ConvPlan.forward(
                new ConvProblem(1, 1, h, w, k, 5, 5, spec, true, 0).geometry())));
        Tensor y = Tensor.zeros(1, k, h, w);
        SIMD.forward(x, wt, b, spec, y);
        for (int o = 0; o < k; o++) {
            int di = o % 5 - 2, dj = 2 - o % 5;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    boolean inside = i + di >= 0 && i + di < h && j + dj >= 0 && j + dj < w;
                    float expected = (inside ? 100f * (i + di) + (j + dj) : 0f) + 0.5f * o;
                    assertEquals(expected, y.get(0, o, i, j), "output " + o + " at (" + i + ", " + j + ")");
                }
            }
        }
        // input gradient with dy = 1 everywhere: dx(i, j) = number of outputs whose shifted pixel is (i, j)
        Tensor dy = Tensor.zeros(1, k, h, w).fill(1f), dx = Tensor.zeros(1, 1, h, w);
        assertTrue(RowReuseConvolution.applies(ConvPlan.backwardInput(
                new ConvProblem(1, 1, h, w, k, 5, 5, spec, true, 0).geometry()).getFirst()));
        SIMD.backwardInput(dy, wt, spec, dx);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int count = 0;
                for (int o = 0; o < k; o++) { // pixel (i, j) feeds output pixel (i - di, j - dj) of output o
                    int di = o % 5 - 2, dj = 2 - o % 5;
                    count += i - di >= 0 && i - di < h && j - dj >= 0 && j - dj < w ? 1 : 0;
                }
                assertEquals(count, dx.get(0, 0, i, j), "dx at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void concurrentCallersGetSingleCallerResults() throws Exception {
        List<ConvProblem> problems = Stream.of(shifted().limit(4), rowReuse().limit(2), rowReuseInputGradient().limit(2))
                .flatMap(s -> s).toList();
        ConcurrencyCheck.assertThreadSafe(SIMD, problems, 4, 2);
    }

    @Test
    void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
        List<ConvProblem> problems = Stream.of(shifted(), rowReuse(), rowReuseInputGradient(), lanesBlocks())
                .flatMap(s -> s).toList();
        SimdEngineThreadingTest.assertSameForOneTwoAndThreeThreads(problems);
    }
}
