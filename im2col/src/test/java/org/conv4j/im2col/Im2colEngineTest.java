package org.conv4j.im2col;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConcurrencyCheck;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine against the double-precision reference, finite differences, and itself across threads. */
class Im2colEngineTest {
    private static final ConvEngine ENGINE = new Im2colEngine();

    static Stream<ConvProblem> small() {
        return ConvProblemGenerator.problems(0x12c0L, 120, ConvProblemGenerator.Limits.SMALL);
    }

    static Stream<ConvProblem> wide() {
        return ConvProblemGenerator.problems(0x1de, 40, ConvProblemGenerator.Limits.WIDE);
    }

    /**
     * Shapes past the GEMM's cache blocks and the lowering workspace: reductions longer than
     * {@link Gemm#KC}, output rows wider than {@link Gemm#NC}, more output channels than
     * {@link Gemm#MC}, and images whose column matrix needs more than one workspace tile.
     */
    static Stream<ConvProblem> large() {
        return Stream.of(
                // 16·3·3 = 144 rows: 2 k-blocks; 92x92 = 8464 pixels > 1 Mi / 144 = 7281: two tiles
                new ConvProblem(1, 16, 92, 92, 8, 3, 3, Conv2dSpec.same(3), true, 11),
                // K = 262 > MC with a 2-row remainder sliver; 24x33 pixels > NC
                new ConvProblem(2, 3, 24, 35, 262, 3, 3, new Conv2dSpec(1, 1, 0, 0, 1, 0, 1, 1, 1), true, 12),
                // pointwise (no lowering) with 300 input channels: 3 k-blocks
                new ConvProblem(2, 300, 9, 7, 6, 1, 1, Conv2dSpec.DEFAULT, true, 13),
                // pointwise over 40x40 = 1600 pixels (> NC), grouped
                new ConvProblem(1, 12, 40, 40, 10, 1, 1, Conv2dSpec.DEFAULT.withGroups(2), false, 14),
                // grouped, dilated, strided, asymmetric padding, 5x5 taps
                new ConvProblem(2, 40, 41, 37, 10, 5, 5, new Conv2dSpec(2, 1, 3, 1, 0, 2, 2, 1, 2), true, 15),
                // a ResNet stem: 7x7 stride 2 pad 3
                new ConvProblem(1, 3, 64, 64, 16, 7, 7, Conv2dSpec.of(2, 3), false, 16));
    }

    @ParameterizedTest
    @MethodSource("small")
    void agreesWithTheReferenceOnSmallProblems(ConvProblem p) {
        ConvCheck.assertAgrees(ENGINE, p);
    }

    @ParameterizedTest
    @MethodSource("wide")
    void agreesWithTheReferenceOnWideProblems(ConvProblem p) {
        ConvCheck.assertAgrees(ENGINE, p);
    }

    @ParameterizedTest
    @MethodSource("large")
    void agreesWithTheReferenceAcrossCacheBlocksAndWorkspaceTiles(ConvProblem p) {
        ConvCheck.assertAgrees(ENGINE, p);
    }

    @ParameterizedTest
    @MethodSource("gradientProblems")
    void backwardPassesMatchFiniteDifferences(ConvProblem p) {
        GradientCheck.assertMatches(ENGINE, p);
    }

    static Stream<ConvProblem> gradientProblems() {
        return ConvProblemGenerator.problems(0x96ad1L, 25, ConvProblemGenerator.Limits.SMALL);
    }

    @Test
    void isThreadSafe() throws Exception {
        List<ConvProblem> problems = Stream.concat(new ConvProblemGenerator(77).next(12).stream(),
                large().limit(2)).toList();
        ConcurrencyCheck.assertThreadSafe(ENGINE, problems, 4, 2);
    }

    @ParameterizedTest
    @MethodSource("threadCountProblems")
    void oneAndTwoThreadsGiveIdenticalResults(ConvProblem p) {
        float[][] one = withThreads(1, () -> runAll(p));
        float[][] two = withThreads(2, () -> runAll(p));
        float[][] three = withThreads(3, () -> runAll(p));
        for (int pass = 0; pass < one.length; pass++) {
            assertArrayEquals(one[pass], two[pass], "pass " + pass + " of " + p);
            assertArrayEquals(one[pass], three[pass], "pass " + pass + " of " + p);
        }
    }

    static Stream<ConvProblem> threadCountProblems() {
        return Stream.concat(ConvProblemGenerator.problems(0x72eadL, 10, ConvProblemGenerator.Limits.WIDE),
                large());
    }

    @Test
    void steadyStateWorkspaceStaysWithinTheBudget() {
        ConvProblem p = large().findFirst().orElseThrow();
        ConvCheck.assertAgrees(ENGINE, p);
        assertTrue(LoweringWorkspace.capacity() <= LoweringWorkspace.BUDGET_FLOATS,
                "lowering workspace grew to " + LoweringWorkspace.capacity());
    }

    @Test
    void tilesRespectTheBudgetAndHoldAtLeastOneColumn() {
        assertEquals(1000, LoweringWorkspace.tilePixels(576, 1000));
        assertEquals((1 << 20) / 576, LoweringWorkspace.tilePixels(576, 3136));
        assertEquals((1 << 20) / 2304, LoweringWorkspace.tilePixels(2304, 100_000));
        assertEquals(1, LoweringWorkspace.tilePixels(3 << 20, 10));
    }

    @Test
    void isRegisteredAsAServiceBetweenNaiveAndSimd() {
        ConvEngine e = ConvEngines.named("im2col");
        assertInstanceOf(Im2colEngine.class, e);
        assertEquals(50, e.priority());
        assertTrue(e.isAvailable());
        assertTrue(ConvEngines.names().contains("im2col"));
    }

    @Test
    void rejectsBadInputNamingTheArgument() {
        Tensor x = Tensor.zeros(1, 4, 8, 8), w = Tensor.zeros(6, 4, 3, 3), y = Tensor.zeros(1, 6, 6, 6);
        Conv2dSpec spec = Conv2dSpec.DEFAULT;
        assertMessage("output", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.forward(x, w, null, spec, Tensor.zeros(1, 6, 8, 8))));
        assertMessage("input", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.forward(null, w, null, spec, y)));
        assertMessage("weight", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.forward(x, Tensor.zeros(6, 3, 3, 3), null, spec, y)));
        assertMessage("bias", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.forward(x, w, Tensor.zeros(5), spec, y)));
        assertMessage("spec", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.forward(x, w, null, null, y)));
        assertMessage("gradOutput", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.backwardInput(Tensor.zeros(1, 6, 5, 6), w, spec, Tensor.zeros(1, 4, 8, 8))));
        assertMessage("gradInput", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.backwardInput(y, w, spec, (Tensor) null)));
        assertMessage("gradWeight", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.backwardWeight(x, y, spec, null, null)));
        assertMessage("gradBias", assertThrows(IllegalArgumentException.class,
                () -> ENGINE.backwardWeight(x, y, spec, w, Tensor.zeros(4))));
    }

    @Test
    void overwritesOutputsEvenWhenTheyHoldGarbage() {
        // ConvCheck pre-fills with NaN; here garbage is finite, so accumulation would show as a wrong value.
        ConvProblem p = new ConvProblem(2, 4, 9, 9, 3, 3, 3, Conv2dSpec.same(3), true, 5);
        ConvGeometry g = p.geometry();
        Tensor clean = ENGINE.forward(p.input(), p.weight(), p.bias(), g.spec());
        Tensor dirty = Tensor.zeros(g.outputShape()).fill(123f);
        ENGINE.forward(p.input(), p.weight(), p.bias(), g.spec(), dirty);
        assertArrayEquals(clean.data(), dirty.data());
        Tensor dw = Tensor.zeros(g.weightShape()).fill(7f), db = Tensor.zeros(g.k()).fill(7f);
        Tensor dw0 = Tensor.zeros(g.weightShape()), db0 = Tensor.zeros(g.k());
        ENGINE.backwardWeight(p.input(), p.gradOutput(), g.spec(), dw, db);
        ENGINE.backwardWeight(p.input(), p.gradOutput(), g.spec(), dw0, db0);
        assertArrayEquals(dw0.data(), dw.data());
        assertArrayEquals(db0.data(), db.data());
        Tensor dx = Tensor.zeros(g.inputShape()).fill(-3f);
        ENGINE.backwardInput(p.gradOutput(), p.weight(), g.spec(), dx);
        assertArrayEquals(ENGINE.backwardInput(p.gradOutput(), p.weight(), g.spec(), g.inputShape()).data(), dx.data());
    }

    private static void assertMessage(String argument, IllegalArgumentException e) {
        assertTrue(e.getMessage().startsWith(argument + ":") || e.getMessage().contains(argument),
                "message should name '" + argument + "': " + e.getMessage());
    }

    private static float[][] runAll(ConvProblem p) {
        ConvGeometry g = p.geometry();
        Tensor out = Tensor.zeros(g.outputShape()), dx = Tensor.zeros(g.inputShape());
        Tensor dw = Tensor.zeros(g.weightShape()), db = Tensor.zeros(g.k());
        ENGINE.forward(p.input(), p.weight(), p.bias(), g.spec(), out);
        ENGINE.backwardInput(p.gradOutput(), p.weight(), g.spec(), dx);
        ENGINE.backwardWeight(p.input(), p.gradOutput(), g.spec(), dw, db);
        return new float[][] {out.data(), dx.data(), dw.data(), db.data()};
    }

    private static <T> T withThreads(int threads, java.util.function.Supplier<T> body) {
        String old = System.getProperty(ConvEngines.THREADS_PROPERTY);
        System.setProperty(ConvEngines.THREADS_PROPERTY, Integer.toString(threads));
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(ConvEngines.THREADS_PROPERTY);
            } else {
                System.setProperty(ConvEngines.THREADS_PROPERTY, old);
            }
        }
    }
}
