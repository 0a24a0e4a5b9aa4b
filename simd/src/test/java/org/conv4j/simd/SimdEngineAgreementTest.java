package org.conv4j.simd;

import java.util.stream.Stream;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.ConvProblemGenerator.Limits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** All three passes of the simd engine against the double-precision reference on random problems. */
class SimdEngineAgreementTest {
    private static final ConvEngine SIMD = new SimdConvEngine();

    static Stream<ConvProblem> small() {
        return ConvProblemGenerator.problems(0x51AD, 150, Limits.SMALL);
    }

    static Stream<ConvProblem> wide() {
        return ConvProblemGenerator.problems(0x51AE, 60, Limits.WIDE);
    }

    @ParameterizedTest
    @MethodSource("small")
    void smallProblems(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p);
    }

    @ParameterizedTest
    @MethodSource("wide")
    void wideProblems(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p);
    }
}
