package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConvCheck;
import org.conv4j.core.testing.ConvProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flat layout's weight-gradient forms: the transposed form (64 or more outputs per group) on
 * several rows per position block, rows wider than a block, several images per slice, strides, dilation
 * and padding, 1x1 layers read in place (one and two single-image slices) or packed, against the reference and bit-identical for 1 and 3 threads; and inputs with an
 * infinity or NaN where junk positions (computed and dropped by the flat layout) read them, which must
 * still give the reference's gradient rather than NaN everywhere 0 * inf reached.
 */
class WeightGradientFormsTest {
    private static final ConvEngine SIMD = new SimdConvEngine();

    @AfterEach
    void resetThreads() {
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
    }

    static Stream<ConvProblem> transposed() {
        return Stream.of(
                new ConvProblem(1, 5, 14, 14, 64, 3, 3, Conv2dSpec.of(1, 1), true, 70), // 8 + 6 rows per image
                new ConvProblem(3, 4, 9, 11, 66, 3, 3, Conv2dSpec.of(1, 1), false, 71), // images in one slice
                new ConvProblem(1, 2, 3, 140, 64, 3, 3, Conv2dSpec.of(1, 1), true, 72), // rows over the block: segments
                new ConvProblem(2, 3, 13, 12, 65, 3, 3, Conv2dSpec.of(2, 1), true, 73), // stride 2: phase planes
                new ConvProblem(1, 3, 12, 13, 64, 3, 2, Conv2dSpec.builder().pad(2).dilation(2).build(), true, 74),
                new ConvProblem(2, 8, 7, 7, 128, 1, 1, Conv2dSpec.DEFAULT, false, 75),
                new ConvProblem(1, 6, 9, 11, 64, 1, 1, Conv2dSpec.DEFAULT, true, 77), // 1x1 read in place
                new ConvProblem(2, 5, 64, 65, 70, 1, 1, Conv2dSpec.DEFAULT, false, 78), // in place, 2 slices
                new ConvProblem(1, 6, 9, 11, 64, 1, 1, Conv2dSpec.of(1, 1), true, 79)); // padded 1x1: packed
    }

    @ParameterizedTest
    @MethodSource("transposed")
    void agreesWithTheReference(ConvProblem p) {
        ConvCheck.assertAgrees(SIMD, p, ConvCheck.Pass.BACKWARD_WEIGHT);
    }

    @ParameterizedTest
    @MethodSource("transposed")
    void bitIdenticalForOneAndThreeThreads(ConvProblem p) {
        System.setProperty(ConvEngines.THREADS_PROPERTY, "1");
        float[] one = weightGradient(p);
        System.setProperty(ConvEngines.THREADS_PROPERTY, "3");
        assertArrayEquals(one, weightGradient(p), p.toString());
    }

    /**
     * 3x3, pad 1: the flat layout's rows are {@code size + 2} wide and the last two positions of each are
     * junk. An infinite or NaN input in the last column is read by the junk position before it (tap (r, 0))
     * with a zero gradient: 0 * inf would make that weight's gradient NaN. Small inputs are scanned before
     * (the input is smaller than the weights), large ones after (the result is scanned).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"8, Infinity, 2, 6", "64, Infinity, 2, 6", "8, NaN, 2, 6",
            "64, NaN, 2, 6", "8, Infinity, 1, 20", "64, NaN, 1, 20", "6, -Infinity, 3, 30"})
    void nonFiniteInputsAtJunkPositionsDoNotLeak(int outputs, float value, int channels, int size) {
        ConvProblem p = new ConvProblem(1, channels, size, size, outputs, 3, 3, Conv2dSpec.of(1, 1), false, 76);
        Tensor x = p.input(), dy = p.gradOutput();
        for (int c = 0; c < channels; c++) {
            x.set(value, 0, c, 2, size - 1);
        }
        Tensor dw = Tensor.zeros(p.weight().shape());
        SIMD.backwardWeight(x, dy, p.geometry().spec(), dw, null);
        Tensor ref = Tensor.zeros(p.weight().shape());
        ConvEngines.named("naive").backwardWeight(x, dy, p.geometry().spec(), ref, null);
        int infinite = 0;
        for (int i = 0; i < ref.size(); i++) {
            float r = ref.data()[i], v = dw.data()[i];
            if (!Float.isFinite(r)) { // one position meets the pixel per weight: no inf - inf in the reference
                infinite++;
                assertEquals(r, v, "weight " + i);
            } else {
                assertEquals(r, v, 1e-4f * (1 + Math.abs(r)), "weight " + i);
            }
        }
        assertTrue(infinite > 0);
    }

    private static float[] weightGradient(ConvProblem p) {
        Tensor dw = Tensor.zeros(p.weight().shape());
        SIMD.backwardWeight(p.input(), p.gradOutput(), p.geometry().spec(), dw, null);
        return dw.data();
    }
}
