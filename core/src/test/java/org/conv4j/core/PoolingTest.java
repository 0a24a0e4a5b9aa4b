package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.conv4j.core.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Pooling against hand-computed answers, PyTorch's shape rules, and finite differences. */
class PoolingTest {
    private static final float[] ONE_TO_SIXTEEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void maxAndAverageOfNonOverlappingWindows() {
        Tensor x = Tensor.of(ONE_TO_SIXTEEN, 1, 1, 4, 4);
        assertArrayEquals(new float[] {6, 8, 14, 16}, Pooling.maxForward(x, Pool2dSpec.of(2)).data(), 0f);
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, Pooling.avgForward(x, Pool2dSpec.of(2)).data(), 0f);
    }

    @Test
    void overlappingWindowsWithStrideOne() {
        // the lecture's w=2, k=1 pooling: a 3x3 map of 2x2 maxima
        Tensor x = Tensor.of(new float[] {0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0}, 1, 1, 4, 4);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, Pooling.maxForward(x, Pool2dSpec.of(2, 1)).data(), 0f);
        Tensor y = Tensor.of(ONE_TO_SIXTEEN, 1, 1, 4, 4);
        assertArrayEquals(new float[] {6, 7, 8, 10, 11, 12, 14, 15, 16}, Pooling.maxForward(y, Pool2dSpec.of(2, 1)).data(), 0f);
    }

    @ParameterizedTest(name = "H={0} k={1} s={2} pad={3} ceil={4} -> {5}")
    @CsvSource({
        // floor((H + 2p - k) / s) + 1, or ceil(...) + 1 dropping a last window that starts in the trailing padding
        "5, 2, 2, 0, false, 2",
        "5, 2, 2, 0, true, 3",
        "4, 2, 2, 1, false, 3",
        "4, 2, 2, 1, true, 3",
        "5, 2, 2, 1, true, 3",
        "6, 3, 2, 1, false, 3",
        "6, 3, 2, 1, true, 4",
        "7, 3, 3, 0, true, 3",
        "1, 1, 1, 0, true, 1",
        "112, 3, 2, 1, false, 56",
    })
    void outputSizeFollowsPyTorch(int h, int k, int s, int pad, boolean ceil, int expected) {
        Pool2dSpec spec = Pool2dSpec.of(k, s, pad).withCeilMode(ceil);
        assertEquals(expected, spec.outputHeight(h));
        assertEquals(expected, Pooling.maxForward(Tensor.zeros(1, 1, h, h), spec).dim(2));
    }

    @Test
    void averageDivisorWithAndWithoutPadding() {
        Tensor ones = Tensor.zeros(1, 1, 3, 3).fill(1);
        Pool2dSpec include = Pool2dSpec.of(2, 1, 1);
        float[] in = Pooling.avgForward(ones, include).data();
        float[] ex = Pooling.avgForward(ones, include.withCountIncludePad(false)).data();
        assertEquals(16, in.length);
        assertEquals(0.25f, in[0], 0f);  // one real element over a window of 4
        assertEquals(0.5f, in[1], 0f);
        assertEquals(1f, in[5], 0f);
        for (float v : ex) {
            assertEquals(1f, v, 0f);   // only real elements counted
        }
    }

    @Test
    void ceilModeWindowsAreClippedToThePaddedInput() {
        // H=W=5, k=2, s=2, ceil: the last window covers one real row/column; PyTorch divides by 1 there, not 4
        Tensor x = Tensor.of(new float[25], 1, 1, 5, 5).fill(2);
        float[] y = Pooling.avgForward(x, Pool2dSpec.of(2).withCeilMode(true)).data();
        assertEquals(9, y.length);
        for (float v : y) {
            assertEquals(2f, v, 0f);
        }
    }

    @Test
    void maxGradientGoesToTheFirstMaximumAndNaNPropagates() {
        Tensor x = Tensor.of(new float[] {5, 5, 5, 5}, 1, 1, 2, 2);
        Tensor g = Pooling.maxBackward(x, Tensor.of(new float[] {3}, 1, 1, 1, 1), Pool2dSpec.of(2));
        assertArrayEquals(new float[] {3, 0, 0, 0}, g.data(), 0f);
        Tensor withNaN = Tensor.of(new float[] {1, Float.NaN, 7, 2}, 1, 1, 2, 2);
        assertTrue(Float.isNaN(Pooling.maxForward(withNaN, Pool2dSpec.of(2)).data()[0]));
        assertTrue(Float.isNaN(Pooling.globalMaxForward(withNaN).data()[0]));
    }

    @Test
    void globalPooling() {
        Tensor x = Tensor.of(ONE_TO_SIXTEEN, 1, 2, 2, 4);
        assertArrayEquals(new float[] {8, 16}, Pooling.globalMaxForward(x).data(), 0f);
        assertArrayEquals(new float[] {4.5f, 12.5f}, Pooling.globalAvgForward(x).data(), 0f);
        float[] gMax = Pooling.globalMaxBackward(x, Tensor.of(new float[] {1, 2}, 1, 2, 1, 1)).data();
        assertEquals(1f, gMax[7], 0f);
        assertEquals(2f, gMax[15], 0f);
        assertEquals(3f, sum(gMax), 0f);
        float[] gAvg = Pooling.globalAvgBackward(Tensor.of(new float[] {8, 16}, 1, 2, 1, 1), new int[] {1, 2, 2, 4}).data();
        assertEquals(1f, gAvg[0], 0f);
        assertEquals(2f, gAvg[15], 0f);
    }

    /**
     * The unrolled 2x2 path against the rule written plainly (first maximum in row-major order, NaN
     * propagating, gradient to the first maximum), on data full of ties, signed zeros and NaNs, compared bit
     * for bit, at strides 1 and 2 and with a ragged edge.
     */
    @ParameterizedTest
    @CsvSource({"1, 7, 9", "2, 8, 8", "2, 9, 11", "1, 2, 2"})
    void twoByTwoWindowsFollowTheFirstMaximumRule(int stride, int h, int w) {
        float[] values = {-0f, 0f, 1f, -1f, 2f, Float.NaN, 2f, 0.5f};
        SplittableRandom rnd = new SplittableRandom(stride * 100 + h * 10 + w);
        Tensor x = Tensor.zeros(2, 3, h, w);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = values[rnd.nextInt(values.length)];
        }
        Pool2dSpec spec = Pool2dSpec.of(2, stride);
        Tensor y = Pooling.maxForward(x, spec);
        Tensor dy = Tensor.zeros(y.shape());
        for (int i = 0; i < dy.size(); i++) {
            dy.data()[i] = i + 1; // distinct gradients: a wrongly routed one shows
        }
        Tensor dx = Pooling.maxBackward(x, dy, spec);
        int oh = y.dim(2), ow = y.dim(3);
        float[] expectedY = new float[y.size()], expectedDx = new float[x.size()];
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int a = 0; a < 2 && (best < 0 || !Float.isNaN(x.data()[best])); a++) {
                        for (int b = 0; b < 2; b++) {
                            int at = p * h * w + (i * stride + a) * w + j * stride + b;
                            float v = x.data()[at];
                            if (best < 0 || v > x.data()[best] || Float.isNaN(v)) {
                                best = at;
                                if (Float.isNaN(v)) {
                                    break;
                                }
                            }
                        }
                    }
                    expectedY[(p * oh + i) * ow + j] = x.data()[best];
                    expectedDx[best] += dy.data()[(p * oh + i) * ow + j];
                }
            }
        }
        assertArrayEquals(expectedY, y.data()); // bitwise: -0 and +0 differ
        assertArrayEquals(expectedDx, dx.data());
    }

    static Stream<Pool2dSpec> specs() {
        return Stream.of(Pool2dSpec.of(2), Pool2dSpec.of(3, 2, 1), Pool2dSpec.of(3, 2, 1).withCeilMode(true),
                Pool2dSpec.of(2, 1).withCountIncludePad(false), new Pool2dSpec(3, 2, 2, 1, 1, 0, 0, 1, 1, 1, true, false),
                new Pool2dSpec(2, 2, 1, 2, 1, 1, 0, 1, 2, 2, false, true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void backwardPassesMatchFiniteDifferences(Pool2dSpec spec) {
        SplittableRandom rnd = new SplittableRandom(spec.hashCode());
        Tensor x = Tensor.zeros(2, 3, 7, 8);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) (rnd.nextDouble() * 2 - 1); // distinct values: no ties, max is differentiable
        }
        int[] outShape = spec.outputShape(x.shape());
        Tensor gy = Tensor.zeros(outShape);
        for (int i = 0; i < gy.size(); i++) {
            gy.data()[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        checkGradient(v -> Pooling.maxForward(v, spec), x, gy, Pooling.maxBackward(x, gy, spec));
        checkGradient(v -> Pooling.avgForward(v, spec), x, gy, Pooling.avgBackward(gy, x.shape(), spec));
    }

    @Test
    void parallelPlanesGiveTheSameResultAsOneThread() {
        Tensor x = Tensor.zeros(8, 16, 32, 32);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rnd.nextDouble();
        }
        Pool2dSpec spec = Pool2dSpec.of(3, 2, 1);
        System.setProperty(ConvEngines.THREADS_PROPERTY, "1");
        try {
            float[] one = Pooling.maxForward(x, spec).data();
            float[] oneAvg = Pooling.avgForward(x, spec).data();
            System.setProperty(ConvEngines.THREADS_PROPERTY, "4");
            assertArrayEquals(one, Pooling.maxForward(x, spec).data(), 0f);
            assertArrayEquals(oneAvg, Pooling.avgForward(x, spec).data(), 0f);
        } finally {
            System.clearProperty(ConvEngines.THREADS_PROPERTY);
        }
    }

    /**
     * Central differences of L(x) = sum(gy * pool(x)) at sampled coordinates, in double over the float
     * outputs, dividing by the step actually taken in float. Max pooling has kinks where two window
     * elements are within the step of each other; a coordinate whose one-sided differences disagree sits
     * on one and is skipped, and at least 90% of the coordinates must be checked.
     */
    private static void checkGradient(UnaryOperator<Tensor> pool, Tensor x, Tensor gy, Tensor grad) {
        int[] coords = FiniteDifferences.sampleCoordinates(x.size(), 40);
        int checked = 0;
        double l0 = dot(pool.apply(x).data(), gy.data());
        for (int i : coords) {
            float saved = x.data()[i];
            float plus = saved + 1e-3f, minus = saved - 1e-3f;
            x.data()[i] = plus;
            double lp = dot(pool.apply(x).data(), gy.data());
            x.data()[i] = minus;
            double lm = dot(pool.apply(x).data(), gy.data());
            x.data()[i] = saved;
            double right = (lp - l0) / ((double) plus - saved), left = (l0 - lm) / ((double) saved - minus);
            if (Math.abs(right - left) > 4e-3) {
                continue; // a kink of max within the step
            }
            checked++;
            double fd = (lp - lm) / ((double) plus - minus);
            assertEquals(fd, grad.data()[i], 2e-3, "coordinate " + i);
        }
        assertTrue(checked >= 0.9 * coords.length, "only " + checked + " of " + coords.length + " coordinates checked");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
