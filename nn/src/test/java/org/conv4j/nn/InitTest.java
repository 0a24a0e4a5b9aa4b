package org.conv4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.Tensor;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.layer.Linear;
import org.junit.jupiter.api.Test;

/** Each initialiser's distribution, checked by its moments on layers large enough for them to be sharp. */
class InitTest {

    private static double[] meanAndStd(Tensor t) {
        double s = 0, sq = 0;
        for (float v : t.data()) {
            s += v;
            sq += (double) v * v;
        }
        double mean = s / t.size();
        return new double[] {mean, Math.sqrt(sq / t.size() - mean * mean)};
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void heIsNormalWithStdSqrtTwoOverFanIn() {
        Conv2d conv = new Conv2d(64, 128, 3, 3, Conv2dSpec.same(3), true); // fanIn 576, 73,728 weights
        Init.HE.apply(conv, 1);
        double[] ms = meanAndStd(conv.parameters().get("weight").value());
        double std = Math.sqrt(2.0 / 576);
        assertEquals(0, ms[0], 0.02 * std);
        assertEquals(std, ms[1], 0.02 * std);
        assertTrue(maxAbs(conv.parameters().get("weight").value()) > 3 * std, "normal, so tails beyond 3 sigma");
        assertEquals(0, maxAbs(conv.parameters().get("bias").value()));
    }

    @Test
    void xavierIsUniformOverFanInAndFanOut() {
        Linear fc = new Linear(300, 200);
        Init.XAVIER.apply(fc, 2);
        double a = Math.sqrt(6.0 / 500);
        double[] ms = meanAndStd(fc.weight().value());
        assertEquals(a / Math.sqrt(3), ms[1], 0.02 * a);
        assertTrue(maxAbs(fc.weight().value()) <= a && maxAbs(fc.weight().value()) > 0.99 * a);
        assertEquals(0, maxAbs(fc.bias().value()));
    }

    @Test
    void torchIsPyTorchsDefaultUniformForWeightsAndBiases() {
        Linear fc = new Linear(400, 300);
        Init.TORCH.apply(fc, 3);
        double b = 1 / Math.sqrt(400);
        double[] ms = meanAndStd(fc.weight().value());
        assertEquals(0, ms[0], 0.02 * b);
        assertEquals(b / Math.sqrt(3), ms[1], 0.02 * b);
        assertTrue(maxAbs(fc.weight().value()) <= b && maxAbs(fc.weight().value()) > 0.99 * b);
        Tensor bias = fc.bias().value();
        assertTrue(maxAbs(bias) <= b && maxAbs(bias) > 0.9 * b, "biases drawn from the same range: " + maxAbs(bias));
    }

    @Test
    void sameSeedSameWeightsAndDifferentSeedDifferentWeights() {
        for (Init init : Init.values()) {
            Linear a = new Linear(20, 10), b = new Linear(20, 10), c = new Linear(20, 10);
            init.apply(a, 7);
            init.apply(b, 7);
            init.apply(c, 8);
            assertArrayEquals(a.weight().value().data(), b.weight().value().data(), init.name());
            assertArrayEquals(a.bias().value().data(), b.bias().value().data(), init.name());
            assertFalse(java.util.Arrays.equals(a.weight().value().data(), c.weight().value().data()), init.name());
        }
    }

    @Test
    void aBiasIsNotAWeight() {
        assertThrows(IllegalArgumentException.class, () -> Init.TORCH.fill(Tensor.zeros(5), new java.util.SplittableRandom(1)));
    }
}
