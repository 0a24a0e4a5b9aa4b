package org.conv4j.simd;

import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.ConvProblemGenerator.Limits;
import org.junit.jupiter.api.Test;
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

    /** Up to 14 output channels per group: every remainder of the 6-channel and 4-channel register tiles. */
    private static final Limits CHANNELS = new Limits(5, 3, 14, 3, 3, 2, 2, 40);

    static Stream<ConvProblem> channels() {
        return new ConvProblemGenerator(0x51AF, CHANNELS).next(60).stream();
    }

    /** Shapes that pick particular paths: many output channels per group, fully-connected (1x1 on 1x1, large batch), 1x1, depthwise, tails of every length, stride 3, channel blocks past 16. */
    static Stream<ConvProblem> paths() {
        Stream.Builder<ConvProblem> b = Stream.builder();
        b.add(new ConvProblem(37, 50, 1, 1, 13, 1, 1, Conv2dSpec.DEFAULT, true, 1));
        b.add(new ConvProblem(70, 19, 1, 1, 7, 1, 1, Conv2dSpec.DEFAULT, false, 2));
        b.add(new ConvProblem(2, 40, 9, 11, 20, 1, 1, Conv2dSpec.DEFAULT, true, 3));
        b.add(new ConvProblem(3, 35, 6, 7, 17, 3, 3, Conv2dSpec.of(1, 1), true, 4));
        b.add(new ConvProblem(2, 12, 17, 19, 12, 3, 3, Conv2dSpec.of(1, 1).withGroups(12), true, 5));
        b.add(new ConvProblem(1, 8, 20, 21, 16, 3, 3, new Conv2dSpec(2, 2, 1, 1, 1, 1, 1, 1, 8), false, 6));
        b.add(new ConvProblem(1, 3, 31, 29, 10, 7, 7, Conv2dSpec.of(2, 3), true, 7));
        b.add(new ConvProblem(2, 4, 20, 23, 5, 3, 3, Conv2dSpec.of(3, 1), true, 8));
        // >= 64 output channels per group: the transposed weight-gradient form, with a partial channel tile
        b.add(new ConvProblem(2, 5, 7, 9, 70, 3, 3, Conv2dSpec.of(1, 1), true, 10));
        b.add(new ConvProblem(1, 6, 9, 8, 130, 3, 2, new Conv2dSpec(2, 1, 1, 0, 2, 1, 1, 2, 2), false, 11));
        b.add(new ConvProblem(3, 3, 4, 4, 64, 1, 1, Conv2dSpec.DEFAULT, true, 12));
        for (int w = 1; w <= 2 * MicroKernels.LANES + 1; w++) {
            b.add(new ConvProblem(1, 2, 3, w, 7, 1, Math.min(3, w), Conv2dSpec.DEFAULT, true, 100 + w));
        }
        return b.build();
    }

    /** Big enough (4 x 8 x 400 x 400) that the packed input is split into image chunks. */
    @Test
    void batchSplitIntoChunks() {
        ConvProblem p = new ConvProblem(4, 8, 400, 400, 2, 3, 3, Conv2dSpec.of(1, 1), true, 9);
        assertTrue(4L * PackedChunk.floatsPerImage(ConvPlan.forward(p.geometry())) > DirectConvolution.CHUNK_BUDGET);
        ConvCheck.assertAgrees(SIMD, p);
    }

    /** Every pass of every problem of the four sources: SMALL, WIDE, channel remainders, particular paths. */
    @ParameterizedTest
    @MethodSource({"small", "wide", "channels", "paths"})
    void agreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p);
    }
}
