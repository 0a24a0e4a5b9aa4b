package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConvProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path of the engine (flat layout, image lanes, shifted planes, row reuse, depthwise, dense)
 * with an infinite and a NaN input pixel at the right edge of a row, where the flat layout's junk
 * positions read it: all three passes must agree with the reference on which results are NaN or
 * infinite, and be close to it everywhere else.
 */
class NonFiniteInputsTest {
    private static final ConvEngine SIMD = new SimdConvEngine();
    private static final ConvEngine NAIVE = ConvEngines.named("naive");

    static Stream<ConvProblem> shapes() {
        return Stream.of(
                new ConvProblem(64, 1, 28, 28, 6, 5, 5, Conv2dSpec.of(1, 2), true, 90), // LeNet conv1
                new ConvProblem(64, 6, 14, 14, 16, 5, 5, Conv2dSpec.DEFAULT, true, 91), // LeNet conv2
                new ConvProblem(2, 8, 20, 20, 8, 3, 3, Conv2dSpec.of(1, 1).withGroups(8), true, 92), // depthwise
                new ConvProblem(1, 4, 12, 12, 70, 3, 3, Conv2dSpec.of(1, 1), true, 93), // transposed dW form
                new ConvProblem(2, 3, 17, 15, 10, 3, 3, Conv2dSpec.of(2, 1), true, 94), // strided
                new ConvProblem(1, 16, 9, 9, 12, 1, 1, Conv2dSpec.DEFAULT, true, 95)); // 1x1
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void infinityAndNaNGoWhereTheReferencePutsThem(ConvProblem p) {
        for (float value : new float[] {Float.POSITIVE_INFINITY, Float.NaN}) {
            Tensor x = p.input(), dy = p.gradOutput(), w = p.weight();
            x.set(value, 0, 0, 2, p.w() - 1);
            var spec = p.geometry().spec();
            Tensor y1 = Tensor.zeros(p.geometry().outputShape()), y2 = Tensor.zeros(p.geometry().outputShape());
            SIMD.forward(x, w, p.bias(), spec, y1);
            NAIVE.forward(x, w, p.bias(), spec, y2);
            compare(y2, y1, "forward " + value);
            Tensor dw1 = Tensor.zeros(w.shape()), dw2 = Tensor.zeros(w.shape());
            SIMD.backwardWeight(x, dy, spec, dw1, null);
            NAIVE.backwardWeight(x, dy, spec, dw2, null);
            compare(dw2, dw1, "weight gradient " + value);
            Tensor dyBad = dy.copy();
            dyBad.set(value, 0, 0, 1, p.geometry().outW() - 1);
            Tensor dx1 = Tensor.zeros(x.shape()), dx2 = Tensor.zeros(x.shape());
            SIMD.backwardInput(dyBad, w, spec, dx1);
            NAIVE.backwardInput(dyBad, w, spec, dx2);
            compare(dx2, dx1, "input gradient " + value);
        }
    }

    private static void compare(Tensor ref, Tensor got, String what) {
        for (int i = 0; i < ref.size(); i++) {
            float r = ref.data()[i], v = got.data()[i];
            if (!Float.isFinite(r) || !Float.isFinite(v)) {
                assertEquals(r, v, what + " at " + i);
            } else {
                assertEquals(r, v, 1e-3f * (1 + Math.abs(r)), what + " at " + i);
            }
        }
    }
}
