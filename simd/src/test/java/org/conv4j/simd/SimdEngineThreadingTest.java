package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConcurrencyCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.ConvProblemGenerator.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Thread safety under concurrent callers, and results that do not depend on the engine's own thread count. */
class SimdEngineThreadingTest {
    private static final ConvEngine SIMD = new SimdConvEngine();
    private static final Limits BIGGER = new Limits(4, 2, 24, 3, 2, 2, 2, 40);

    @AfterEach
    void resetThreads() {
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    @Test
    void concurrentCallersGetSingleThreadResults() throws Exception {
        List<ConvProblem> problems = ConvProblemGenerator.problems(0x7A, 16, Limits.WIDE).toList();
        ConcurrencyCheck.assertThreadSafe(SIMD, problems, 4, 2);
    }

    @Test
    void resultsAreBitIdenticalForOneAndThreeThreads() {
        List<ConvProblem> problems = new java.util.ArrayList<>(new ConvProblemGenerator(0x7B, BIGGER).next(12));
        problems.add(new ConvProblem(40, 300, 1, 1, 20, 1, 1, Conv2dSpec.DEFAULT, true, 13)); // fully-connected
        problems.add(new ConvProblem(2, 3, 30, 30, 64, 3, 3, Conv2dSpec.of(1, 1), true, 14)); // transposed dW form
        for (ConvProblem p : problems) {
            System.setProperty(ConvEngines.THREADS_PROPERTY, "1");
            float[][] one = runAll(p);
            System.setProperty(ConvEngines.THREADS_PROPERTY, "3");
            float[][] three = runAll(p);
            for (int pass = 0; pass < one.length; pass++) {
                assertArrayEquals(one[pass], three[pass], "pass " + pass + " of " + p);
            }
        }
    }

    /** All three passes of every problem give the same bits on 2 and 3 engine threads as on 1 (the caller resets the property). */
    static void assertSameForOneTwoAndThreeThreads(List<ConvProblem> problems) {
        for (ConvProblem p : problems) {
            System.setProperty(ConvEngines.THREADS_PROPERTY, "1");
            float[][] one = runAll(p);
            for (String threads : List.of("2", "3")) {
                System.setProperty(ConvEngines.THREADS_PROPERTY, threads);
                float[][] other = runAll(p);
                for (int pass = 0; pass < one.length; pass++) {
                    assertArrayEquals(one[pass], other[pass], "pass " + pass + ", " + threads + " threads, " + p);
                }
            }
        }
    }

    /** All three passes of {@code p} on the simd engine with the current thread count: output, dx, dw, db. */
    static float[][] runAll(ConvProblem p) {
        var g = p.geometry();
        Tensor y = Tensor.zeros(g.outputShape()), dx = Tensor.zeros(g.inputShape()), dw = Tensor.zeros(g.weightShape());
        Tensor db = Tensor.zeros(g.k());
        SIMD.forward(p.input(), p.weight(), p.bias(), g.spec(), y);
        SIMD.backwardInput(p.gradOutput(), p.weight(), g.spec(), dx);
        SIMD.backwardWeight(p.input(), p.gradOutput(), g.spec(), dw, db);
        return new float[][] {y.data(), dx.data(), dw.data(), db.data()};
    }
}
