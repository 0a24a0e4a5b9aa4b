package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.GradientCheck;
import org.conv4j.core.testing.Shrinker;
import org.junit.jupiter.api.Test;

/** The test fixture itself: it passes the reference, catches broken engines, and shrinks failures. */
class FixtureSelfTest {

    /** The naive engine with one deliberate defect, to show the checks can fail. */
    private static final class BrokenEngine implements ConvEngine {
        private final NaiveConvEngine naive = new NaiveConvEngine();
        private final String defect;

        BrokenEngine(String defect) {
            this.defect = defect;
        }

        @Override public String name() { return "broken-" + defect; }
        @Override public int priority() { return -1; }
        @Override public boolean isAvailable() { return true; }

        @Override
        public void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
            naive.forward(input, weight, bias, spec, output);
            float[] o = output.data();
            switch (defect) {
                case "ulps" -> { // a relative error of 2^-10, far above float rounding
                    for (int i = 0; i < o.length; i++) {
                        o[i] += o[i] * 0x1p-10f;
                    }
                }
                case "last" -> o[o.length - 1] += 1e-3f;
                case "accumulate" -> { } // handled by not overwriting below
                default -> { }
            }
        }

        @Override
        public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
            if (defect.equals("accumulate")) {
                Tensor tmp = Tensor.zeros(gradInput.shape());
                naive.backwardInput(gradOutput, weight, spec, tmp);
                float[] d = gradInput.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] += tmp.data()[i];
                }
                return;
            }
            naive.backwardInput(gradOutput, weight, spec, gradInput);
        }

        @Override
        public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
            naive.backwardWeight(input, gradOutput, spec, gradWeight, gradBias);
            if (defect.equals("gradw")) {
                gradWeight.data()[0] *= 1.001f;
            }
        }
    }

    @Test
    void theReferencePassesEveryCheck() {
        ConvEngine naive = new NaiveConvEngine();
        for (ConvProblem p : new ConvProblemGenerator(1).next(30)) {
            for (ConvCheck.Pass pass : ConvCheck.Pass.values()) {
                assertNull(ConvCheck.mismatch(naive, p, pass), p::toString);
            }
        }
    }

    @Test
    void smallErrorsAreCaught() {
        ConvProblem p = new ConvProblem(1, 3, 6, 6, 2, 3, 3, Conv2dSpec.DEFAULT, true, 3);
        assertNotNull(ConvCheck.mismatch(new BrokenEngine("ulps"), p, ConvCheck.Pass.FORWARD));
        assertNotNull(ConvCheck.mismatch(new BrokenEngine("last"), p, ConvCheck.Pass.FORWARD));
        assertNotNull(ConvCheck.mismatch(new BrokenEngine("accumulate"), p, ConvCheck.Pass.BACKWARD_INPUT));
        assertNotNull(ConvCheck.mismatch(new BrokenEngine("gradw"), p, ConvCheck.Pass.BACKWARD_WEIGHT));
        assertNotNull(GradientCheck.mismatch(new BrokenEngine("gradw"), p));
    }

    @Test
    void failuresAreShrunkAndReported() {
        ConvProblem big = new ConvProblem(3, 4, 9, 9, 4, 3, 3, new Conv2dSpec(2, 1, 1, 0, 2, 1, 2, 1, 2), true, 11);
        ConvEngine broken = new BrokenEngine("last");
        ConvProblem small = Shrinker.shrink(big, q -> ConvCheck.mismatch(broken, q, ConvCheck.Pass.FORWARD) != null);
        assertTrue(small.geometry().flops() < big.geometry().flops() / 50, small::toString);
        AssertionError e = assertThrows(AssertionError.class,
                () -> ConvCheck.assertAgrees(broken, big, ConvCheck.Pass.FORWARD));
        assertTrue(e.getMessage().contains("shrunk:") && e.getMessage().contains("new ConvProblem("), e::getMessage);
    }

    @Test
    void generatorCoversEverySpecParameter() {
        boolean depthwise = false, grouped = false, dilated = false, strided = false, asymmetric = false, bias = false;
        for (ConvProblem p : new ConvProblemGenerator(42).next(300)) {
            Conv2dSpec s = p.spec();
            depthwise |= s.groups() > 1 && s.groups() == p.c();
            grouped |= s.groups() > 1 && s.groups() < p.c();
            dilated |= s.dilationH() > 1 || s.dilationW() > 1;
            strided |= s.strideH() != s.strideW();
            asymmetric |= s.padTop() != s.padBottom() || s.padLeft() != s.padRight();
            bias |= p.hasBias();
        }
        assertTrue(depthwise && grouped && dilated && strided && asymmetric && bias);
    }
}
