package org.conv4j.simd;

import java.util.stream.Stream;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.GradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The simd engine's backward passes against central finite differences of the double-precision loss. */
class SimdEngineGradientTest {
    private static final ConvEngine SIMD = new SimdConvEngine();

    static Stream<ConvProblem> problems() {
        return ConvProblemGenerator.problems(0x6AD, 40, ConvProblemGenerator.Limits.SMALL);
    }

    @ParameterizedTest
    @MethodSource("problems")
    void backwardPassesMatchFiniteDifferences(ConvProblem p) {
        GradientCheck.assertMatches(SIMD, p);
    }
}
