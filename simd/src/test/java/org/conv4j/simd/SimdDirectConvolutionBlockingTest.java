package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvCheck.Pass;
import org.conv4j.core.testing.ConvProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shapes that cross the blocking of {@link DirectConvolution}: reduction blocks with a remainder,
 * 3 outputs (the 3x8 and 3x4 kernels, pairs of tiles and a single one), short last panels (outputs 2
 * and 4 mod 6, the 2- and 4-row kernels), small planes computed as one block with the weights packed
 * inside the tasks, several position blocks, several groups, panels split among tasks for the threads
 * or to bound a task's results, 1x1 GEMMs split in position blocks, read in place or packed. Forward and input gradient against the reference, and bit-identical
 * results for 1 and 3 threads (the panel split differs).
 */
class SimdDirectConvolutionBlockingTest {
    private static final ConvEngine SIMD = new SimdConvEngine();

    @AfterEach
    void resetThreads() {
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    static Stream<ConvProblem> blocking() {
        Stream.Builder<ConvProblem> b = Stream.builder();
        int seed = 500;
        for (int k : new int[] {3, 8, 10, 16, 20}) { // the 3-row kernels; last panel of 2, 4, 4, 2 rows
            for (int c : new int[] {5, 17, 40}) { // one reduction block, one plus a remainder, three
                b.add(new ConvProblem(1, c, 9, 11, k, 3, 3, Conv2dSpec.of(1, 1), true, seed++)); // small plane: one block
                b.add(new ConvProblem(2, c, 30, 27, k, 3, 3, Conv2dSpec.of(1, 1), true, seed++)); // several blocks
            }
        }
        b.add(new ConvProblem(1, 32, 14, 14, 64, 3, 3, Conv2dSpec.of(1, 1), true, seed++)); // a ResNet 14x14 layer, narrower
        b.add(new ConvProblem(2, 3, 30, 27, 12, 3, 3, Conv2dSpec.of(1, 1), true, seed++)); // input gradient with 3 outputs
        b.add(new ConvProblem(1, 2, 20, 20, 600, 3, 3, Conv2dSpec.of(1, 1), true, seed++)); // results over budget: 2 panel ranges
        b.add(new ConvProblem(1, 3, 41, 39, 10, 7, 7, Conv2dSpec.of(2, 3), true, seed++)); // the stem, smaller
        b.add(new ConvProblem(2, 24, 7, 7, 20, 3, 3, Conv2dSpec.builder().pad(1).groups(2).build(), true, seed++));
        b.add(new ConvProblem(1, 20, 40, 33, 22, 3, 3, Conv2dSpec.builder().pad(1).groups(2).build(), false, seed++));
        b.add(new ConvProblem(1, 6, 33, 35, 14, 5, 5, Conv2dSpec.builder().stride(2).pad(2).dilation(2).build(), true,
                seed++));
        // 1x1 GEMM: enough tiles for per-block tasks on 2-3 threads, a short last panel, groups, reductions of
        // odd lengths
        for (int c : new int[] {31, 33, 103}) {
            b.add(new ConvProblem(2, c, 23, 21, 13, 1, 1, Conv2dSpec.DEFAULT, true, seed++));
            b.add(new ConvProblem(1, 2 * c, 17, 30, 16, 1, 1, Conv2dSpec.DEFAULT.withGroups(2), true, seed++));
        }
        // 1x1 tiles read in place from the source: whole tiles only (16x16), one whole tile and a partial tile
        // of one position (5x13), a plane of one tile (8x8: packed); padding and stride (packed)
        b.add(new ConvProblem(3, 37, 16, 16, 14, 1, 1, Conv2dSpec.DEFAULT, true, seed++));
        b.add(new ConvProblem(3, 20, 5, 13, 8, 1, 1, Conv2dSpec.DEFAULT, false, seed++));
        b.add(new ConvProblem(2, 20, 8, 8, 12, 1, 1, Conv2dSpec.DEFAULT, true, seed++));
        b.add(new ConvProblem(2, 19, 12, 11, 7, 1, 1, Conv2dSpec.of(1, 1), true, seed++));
        b.add(new ConvProblem(2, 19, 17, 15, 7, 1, 1, Conv2dSpec.of(2, 0), true, seed++));
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("blocking")
    void agreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p, Pass.FORWARD);
        ConvCheck.assertAgrees(SIMD, p, Pass.BACKWARD_INPUT);
    }

    @ParameterizedTest
    @MethodSource("blocking")
    void bitIdenticalForOneAndThreeThreads(ConvProblem p) {
        System.setProperty(ConvEngines.THREADS_PROPERTY, "1");
        float[][] one = run(p);
        System.setProperty(ConvEngines.THREADS_PROPERTY, "3");
        float[][] three = run(p);
        assertTrue(one[0].length > 0);
        assertArrayEquals(one[0], three[0], "forward of " + p);
        assertArrayEquals(one[1], three[1], "input gradient of " + p);
    }

    private static float[][] run(ConvProblem p) {
        var g = p.geometry();
        Tensor y = Tensor.zeros(g.outputShape()), dx = Tensor.zeros(g.inputShape());
        SIMD.forward(p.input(), p.weight(), p.bias(), g.spec(), y);
        SIMD.backwardInput(p.gradOutput(), p.weight(), g.spec(), dx);
        return new float[][] {y.data(), dx.data()};
    }
}
