package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvCheck.Pass;
import org.conv4j.core.testing.ConvProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The input gradient at stride > 1, computed as one stride-1 convolution per input phase: every
 * stride x kernel x dilation x padding combination (so every phase has 0, 1 or several taps, the
 * first tap's offset is positive, zero or negative, and inputs smaller than the stride leave phases
 * empty), against the double-precision reference.
 */
class SimdBackwardInputPhaseTest {
    private static final ConvEngine SIMD = new SimdConvEngine();

    static Stream<ConvProblem> phases() {
        Stream.Builder<ConvProblem> b = Stream.builder();
        int seed = 0;
        for (int stride = 2; stride <= 3; stride++) {
            for (int kernel = 1; kernel <= 4; kernel++) {
                for (int dilation = 1; dilation <= 3; dilation++) {
                    for (int pad = 0; pad <= 2; pad++) {
                        int extent = (kernel - 1) * dilation + 1;
                        int h = extent + 2 * stride + (seed % 3); // outputs of 2 to 4 rows, sizes not multiples of the stride
                        Conv2dSpec spec = new Conv2dSpec(stride, 5 - stride, pad, (pad + 1) % 3, (pad + 2) % 3, pad,
                                dilation, 1 + (dilation % 2), 1);
                        int w = (kernel - 1) * spec.dilationW() + 1 + 5;
                        b.add(new ConvProblem(2, 4 + seed % 3, h, w, 1 + seed % 8, kernel, Math.max(1, 4 - kernel), spec,
                                false, 200 + seed));
                        seed++;
                    }
                }
            }
        }
        // The stem (3 outputs per group: the 3-row kernel), grouped, inputs smaller than the stride.
        b.add(new ConvProblem(1, 3, 23, 21, 9, 7, 7, Conv2dSpec.of(2, 3), false, 301));
        b.add(new ConvProblem(2, 6, 11, 13, 8, 3, 3, Conv2dSpec.builder().stride(2).pad(1).groups(2).build(), false, 302));
        b.add(new ConvProblem(1, 5, 1, 2, 4, 1, 1, Conv2dSpec.of(3, 0), false, 303));
        b.add(new ConvProblem(1, 4, 2, 1, 3, 2, 1, Conv2dSpec.builder().stride(3).pad(1).build(), false, 304));
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("phases")
    void inputGradientAgreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p, Pass.BACKWARD_INPUT);
    }

    /** A phase plan's taps and placement, worked out by hand for a 7x7 stride-2 pad-3 kernel (the stem). */
    @Test
    void stemPhasesSplitTheTaps() {
        var plans = ConvPlan.backwardInput(new ConvProblem(1, 3, 224, 224, 64, 7, 7, Conv2dSpec.of(2, 3), false, 1)
                .geometry());
        assertEquals(4, plans.size());
        ConvPlan even = plans.get(0); // input rows 0, 2, ...: taps r with r - 3 even, i.e. 5, 3, 1
        assertEquals(3, even.r());
        assertEquals(112, even.outH());
        assertEquals(5 * 7 + 5, even.weightTaps().index(0, 0));
        assertEquals(1 * 7 + 1, even.weightTaps().index(2, 2));
        assertEquals(1, even.top()); // tap 5 meets output-gradient row i - 1
        ConvPlan odd = plans.get(3); // rows 1, 3, ...: taps 6, 4, 2, 0
        assertEquals(4, odd.r());
        assertEquals(1, odd.top()); // tap 6 meets row i - 1 too: y = 1 + 2i = 2*oh - 3 + 6
        assertEquals(1, odd.placement().y0());
        assertEquals(2, odd.placement().stepY());
        int taps = 0;
        for (ConvPlan plan : plans) {
            taps += plan.taps();
        }
        assertEquals(49, taps); // every tap in exactly one phase
        for (ConvPlan plan : plans) {
            assertEquals(false, plan.isDense());
        }
        var stride1 = ConvPlan.backwardInput(new ConvProblem(1, 3, 20, 20, 8, 3, 3, Conv2dSpec.of(1, 1), false, 1)
                .geometry());
        assertEquals(1, stride1.size());
        assertEquals(true, stride1.getFirst().isDense());
    }
}
