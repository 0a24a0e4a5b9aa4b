package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public entry point rejects bad input with an IllegalArgumentException whose message names
 * the argument and the expected and actual values; never an index exception or a silent answer.
 */
class BadInputTest {
    private static final ConvEngine E = new NaiveConvEngine();
    private static final Conv2dSpec P1 = Conv2dSpec.of(1, 1);

    private static Tensor t(int... shape) {
        return Tensor.zeros(shape);
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                bad("input rank", "input", "rank 4", () -> E.forward(t(3, 8, 8), t(2, 3, 3, 3), null, P1, t(1, 2, 8, 8))),
                bad("weight rank", "weight", "rank 4", () -> E.forward(t(1, 3, 8, 8), t(2, 27), null, P1, t(1, 2, 8, 8))),
                bad("channel mismatch", "weight", "C/groups=3", () -> E.forward(t(1, 3, 8, 8), t(2, 4, 3, 3), null, P1, t(1, 2, 8, 8))),
                bad("groups not dividing C", "input", "divisible by groups=2",
                        () -> E.forward(t(1, 3, 8, 8), t(2, 1, 3, 3), null, P1.withGroups(2), t(1, 2, 8, 8))),
                bad("groups not dividing K", "weight", "divisible by groups=2",
                        () -> E.forward(t(1, 4, 8, 8), t(3, 2, 3, 3), null, P1.withGroups(2), t(1, 3, 8, 8))),
                bad("kernel larger than padded input", "weight", "padded input height",
                        () -> E.forward(t(1, 1, 3, 8), t(1, 1, 7, 1), null, Conv2dSpec.of(1, 1), t(1, 1, 1, 8))),
                bad("dilated kernel too wide", "weight", "dilationW",
                        () -> E.forward(t(1, 1, 8, 5), t(1, 1, 1, 3), null, Conv2dSpec.DEFAULT.withDilation(3), t(1, 1, 8, 1))),
                bad("output shape", "output", "[1, 2, 8, 8]", () -> E.forward(t(1, 3, 8, 8), t(2, 3, 3, 3), null, P1, t(1, 2, 6, 6))),
                bad("null output", "output", "got null", () -> E.forward(t(1, 3, 8, 8), t(2, 3, 3, 3), null, P1, null)),
                bad("bias length", "bias", "[2]", () -> E.forward(t(1, 3, 8, 8), t(2, 3, 3, 3), t(3), P1, t(1, 2, 8, 8))),
                bad("bias rank", "bias", "[2]", () -> E.forward(t(1, 3, 8, 8), t(2, 3, 3, 3), t(2, 1), P1, t(1, 2, 8, 8))),
                bad("null spec", "spec", "null", () -> E.forward(t(1, 3, 8, 8), t(2, 3, 3, 3), null, null, t(1, 2, 8, 8))),
                bad("null input", "input", "null", () -> E.forward(null, t(2, 3, 3, 3), null, P1, t(1, 2, 8, 8))),
                bad("gradOutput shape", "gradOutput", "[1, 2, 8, 8]",
                        () -> E.backwardInput(t(1, 2, 7, 8), t(2, 3, 3, 3), P1, t(1, 3, 8, 8))),
                bad("gradInput channels", "weight", "C/groups=4",
                        () -> E.backwardInput(t(1, 2, 8, 8), t(2, 3, 3, 3), P1, t(1, 4, 8, 8))),
                bad("gradWeight shape", "gradWeight", "C/groups=3",
                        () -> E.backwardWeight(t(1, 3, 8, 8), t(1, 2, 8, 8), P1, t(2, 2, 3, 3), null)),
                bad("gradBias length", "gradBias", "[2]",
                        () -> E.backwardWeight(t(1, 3, 8, 8), t(1, 2, 8, 8), P1, t(2, 3, 3, 3), t(5))),
                bad("gradOutput for backwardWeight", "gradOutput", "[1, 2, 8, 8]",
                        () -> E.backwardWeight(t(1, 3, 8, 8), t(1, 3, 8, 8), P1, t(2, 3, 3, 3), null)),
                bad("stride 0", "strideH", "got 0", () -> Conv2dSpec.of(0, 1)),
                bad("negative pad", "padLeft", "got -1", () -> Conv2dSpec.builder().pad(0, 0, -1, 0).build()),
                bad("dilation 0", "dilationW", "got 0", () -> Conv2dSpec.builder().dilation(1, 0).build()),
                bad("groups 0", "groups", "got 0", () -> Conv2dSpec.DEFAULT.withGroups(0)),
                bad("same with even kernel", "kernelH", "odd", () -> Conv2dSpec.same(4)),
                bad("data length", "data", "length 6", () -> Tensor.wrap(new float[5], 2, 3)),
                bad("zero extent", "shape", ">= 1", () -> Tensor.zeros(2, 0)),
                bad("too many elements", "shape", "elements", () -> Tensor.zeros(65536, 65536)),
                bad("output past int range", "output", "elements",
                        () -> Conv2dSpec.DEFAULT.outputShape(new int[] {65536, 1, 256, 256}, new int[] {65536, 1, 1, 1})),
                bad("tensor index", "index", "0 <= index[1] < 3", () -> Tensor.zeros(2, 3).get(0, 3)),
                bad("pool window larger than input", "input height", "pooling window",
                        () -> Pooling.maxForward(t(1, 1, 2, 8), Pool2dSpec.of(3))),
                bad("pool padding over half the window", "padTop", "half the dilated window",
                        () -> new Pool2dSpec(2, 2, 2, 2, 2, 0, 0, 0, 1, 1, false, true)),
                bad("pool input rank", "input", "rank 4", () -> Pooling.avgForward(t(4, 4), Pool2dSpec.of(2))),
                bad("pool gradOutput shape", "gradOutput", "[1, 1, 2, 2]",
                        () -> Pooling.maxBackward(t(1, 1, 4, 4), t(1, 1, 3, 3), Pool2dSpec.of(2))),
                bad("avg gradInput shape", "gradOutput", "[1, 1, 1, 1]",
                        () -> Pooling.avgBackward(t(1, 1, 2, 2), new int[] {1, 1, 3, 3}, Pool2dSpec.of(2))),
                bad("global pooling gradient", "gradOutput", "[2, 3, 1, 1]",
                        () -> Pooling.globalMaxBackward(t(2, 3, 4, 4), t(2, 3, 2, 2))),
                bad("output aliasing the input", "output", "distinct", () -> {
                    Tensor x = t(1, 1, 4, 4);
                    E.forward(x, t(1, 1, 1, 1), null, Conv2dSpec.DEFAULT, x);
                }),
                bad("parallel task count", "tasks", "got -1", () -> Parallel.forEach(-1, i -> { })));
    }

    private static Arguments bad(String what, String argument, String detail, Executable call) {
        return Arguments.of(what, argument, detail, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void isRejectedWithAClearMessage(String what, String argument, String detail, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(argument + ":") && m.contains(detail) && m.contains("got"),
                () -> what + ": message should name '" + argument + "', expected '" + detail + "' and the actual value: " + m);
    }

    @Test
    void outputOfTheRightShapeIsAccepted() {
        E.forward(t(1, 3, 8, 8), t(2, 3, 3, 3), t(2), P1, t(1, 2, 8, 8));
        E.backwardInput(t(1, 2, 8, 8), t(2, 3, 3, 3), P1, t(1, 3, 8, 8));
        E.backwardWeight(t(1, 3, 8, 8), t(1, 2, 8, 8), P1, t(2, 3, 3, 3), t(2));
    }
}
