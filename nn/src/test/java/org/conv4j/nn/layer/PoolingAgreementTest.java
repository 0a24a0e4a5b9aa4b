package org.conv4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The nn fast paths (max pooling inside the input, the ReLU kernels) give exactly core's / the scalar results. */
class PoolingAgreementTest {

    static Stream<Object[]> cases() {
        SplittableRandom r = new SplittableRandom(11);
        Stream.Builder<Object[]> b = Stream.builder();
        for (int i = 0; i < 40; i++) {
            int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
            Pool2dSpec spec = new Pool2dSpec(kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), 0, 0, 0, 0, 1 + r.nextInt(2),
                    1 + r.nextInt(2), false, true);
            int h = 5 + r.nextInt(8), w = 5 + r.nextInt(8);
            if (i % 5 == 0) {
                spec = Pool2dSpec.of(2, 1 + r.nextInt(2)); // the unrolled 2x2 path, overlapping or not
            }
            b.add(new Object[] {spec, new int[] {1 + r.nextInt(3), 1 + r.nextInt(3), h, w}, r.nextLong(), i % 4});
        }
        // the vectorised 2x2 stride 2 path: rows of every width around one and two vectors of outputs (16 lanes
        // with AVX-512, 8 with AVX2), odd heights and widths, LeNet's 28 and 10
        int[] widths = {2, 3, 9, 10, 15, 28, 29, 30, 31, 32, 33, 34, 35, 47, 62, 64, 65, 66, 67, 70};
        for (int k = 0; k < widths.length; k++) {
            b.add(new Object[] {Pool2dSpec.of(2, 2), new int[] {2, 1 + k % 3, 2 + k % 5, widths[k]}, r.nextLong(), k % 4});
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maxPoolInsideMatchesCore(Pool2dSpec spec, int[] shape, long seed, int flavour) {
        Tensor x = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            // flavour 1: many ties (first maximum must win), signed zeros; 2: a few NaNs; 3: all equal
            d[i] = switch (flavour) {
                case 1 -> r.nextInt(4) == 0 ? -0f : r.nextInt(3);
                case 2 -> r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
                case 3 -> 1f;
                default -> (float) r.nextGaussian();
            };
        }
        MaxPool2d layer = new MaxPool2d(spec);
        Tensor y = layer.forward(x);
        float[] expected = Pooling.maxForward(x, spec).data();
        for (int i = 0; i < expected.length; i++) {
            // equal as numbers (a zero maximum may differ in sign, see MaxPoolInside), NaN where core has NaN
            float e = expected[i], a = y.data()[i];
            org.junit.jupiter.api.Assertions.assertTrue(e == a || e != e && a != a, "output " + i + ": " + a + ", core " + e);
        }
        Tensor dy = Tensor.zeros(y.shape());
        for (int i = 0; i < dy.size(); i++) {
            dy.data()[i] = (float) r.nextGaussian();
        }
        assertArrayEquals(Pooling.maxBackward(x, dy, spec).data(), layer.backward(dy).data());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reluKernelsMatchTheScalarDefinition(Pool2dSpec ignored, int[] shape, long seed, int flavour) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = shape[0] * shape[1] * shape[2] * shape[3];
        float[] x = new float[n], dy = new float[n], y = new float[n], dx = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = flavour == 2 && r.nextInt(10) == 0 ? Float.NaN : flavour == 3 ? (r.nextBoolean() ? 0f : -0f) : (float) r.nextGaussian();
            dy[i] = (float) r.nextGaussian();
        }
        Kernels.relu(x, y, n);
        Kernels.reluGradient(y, dy, dx, n);
        for (int i = 0; i < n; i++) {
            float ey = x[i] < 0 ? 0f : x[i];
            org.junit.jupiter.api.Assertions.assertEquals(ey, y[i], "relu at " + i);
            org.junit.jupiter.api.Assertions.assertEquals(y[i] > 0 ? dy[i] : 0f, dx[i], "relu gradient at " + i);
        }
    }
}
