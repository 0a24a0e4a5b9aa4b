package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The naive engine's backward passes against finite differences, and the adjoint identities between its passes. */
class NaiveEngineGradientTest {
    private static final ConvEngine NAIVE = new NaiveConvEngine();

    static Stream<ConvProblem> problems() {
        return ConvProblemGenerator.problems(0xC0FFEE, 60, ConvProblemGenerator.Limits.SMALL);
    }

    @ParameterizedTest
    @MethodSource("problems")
    void backwardPassesMatchFiniteDifferences(ConvProblem p) {
        GradientCheck.assertMatches(NAIVE, p);
    }

    /**
     * Convolution is linear, so its passes are adjoint: {@code <conv(x, w), dy> = <x, backwardInput(dy, w)>
     * = <w, backwardWeight(x, dy)>}. In double, the three inner products agree to rounding.
     */
    @ParameterizedTest
    @MethodSource("problems")
    void passesAreAdjoint(ConvProblem p) {
        ConvGeometry g = p.geometry();
        double[] x = NaiveConvEngine.toDouble(p.input()), w = NaiveConvEngine.toDouble(p.weight());
        double[] dy = NaiveConvEngine.toDouble(p.gradOutput());
        double viaOutput = dot(ReferenceConvolution.forward(x, w, null, g), dy);
        double viaInput = dot(x, ReferenceConvolution.backwardInput(dy, w, g));
        double viaWeight = dot(w, ReferenceConvolution.backwardWeight(x, dy, g));
        double scale = 1e-12 * (1 + Math.abs(viaOutput)) * g.flops();
        assertEquals(viaOutput, viaInput, scale, p::toString);
        assertEquals(viaOutput, viaWeight, scale, p::toString);
    }

    @Test
    void biasGradientIsTheSumOfTheOutputGradient() {
        ConvProblem p = new ConvProblem(2, 3, 4, 5, 2, 3, 3, Conv2dSpec.of(1, 1), true, 7);
        Tensor db = Tensor.zeros(2);
        NAIVE.backwardWeight(p.input(), p.gradOutput(), p.geometry().spec(), Tensor.zeros(2, 3, 3, 3), db);
        float[] dy = p.gradOutput().data();
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 20; i++) {
                    sum += dy[(n * 2 + k) * 20 + i];
                }
            }
            assertEquals(sum, db.data()[k], 1e-5);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
