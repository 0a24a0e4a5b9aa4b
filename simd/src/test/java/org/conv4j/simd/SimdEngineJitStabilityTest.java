package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConvProblem;
import org.junit.jupiter.api.Test;

/**
 * Results must not depend on when the JIT compiles the kernels: the first, interpreted call and
 * thousands of later, compiled ones give the same bits (a resumed training run must equal an
 * uninterrupted one). Lane reductions in an unspecified order broke this once.
 */
class SimdEngineJitStabilityTest {
    private static final int CALLS = 3000;

    @Test
    void repeatedCallsGiveTheFirstCallsBits() {
        ConvEngine simd = ConvEngines.named("simd");
        // small groups take the lane-reducing weight-gradient kernel; a wide one takes the transposed form
        for (ConvProblem p : new ConvProblem[] {
                new ConvProblem(32, 16, 4, 4, 32, 3, 3, Conv2dSpec.same(3), true, 1),
                new ConvProblem(2, 8, 9, 11, 6, 3, 3, Conv2dSpec.of(2, 1), true, 2)}) {
            float[][] first = run(simd, p);
            for (int i = 0; i < CALLS; i++) {
                float[][] again = run(simd, p);
                for (int j = 0; j < first.length; j++) {
                    assertArrayEquals(first[j], again[j], 0f, "call " + i + ", result " + j + " of " + p);
                }
            }
        }
    }

    private static float[][] run(ConvEngine e, ConvProblem p) {
        ConvGeometry g = p.geometry();
        Tensor out = Tensor.zeros(g.outputShape());
        Tensor dx = Tensor.zeros(g.inputShape());
        Tensor dw = Tensor.zeros(g.weightShape());
        Tensor db = Tensor.zeros(g.k());
        e.forward(p.input(), p.weight(), p.bias(), g.spec(), out);
        e.backwardInput(p.gradOutput(), p.weight(), g.spec(), dx);
        e.backwardWeight(p.input(), p.gradOutput(), g.spec(), dw, db);
        return new float[][] {out.data(), dx.data(), dw.data(), db.data()};
    }
}
