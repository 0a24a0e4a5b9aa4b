package org.conv4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.conv4j.core.Tensor;
import org.conv4j.core.testing.FiniteDifferences;
import org.conv4j.nn.LayerCheck;
import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void crossEntropyMatchesTheDefinitionAndFiniteDifferences() {
        Tensor z = LayerCheck.random(1, 4, 5);
        int[] labels = {0, 3, 4, 1};
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double loss = ce.forward(z, labels);
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double sum = 0;
            for (int j = 0; j < 5; j++) {
                sum += Math.exp(z.data()[i * 5 + j]);
            }
            expected += -Math.log(Math.exp(z.data()[i * 5 + labels[i]]) / sum);
        }
        assertEquals(expected / 4, loss, 1e-12);
        float[] grad = ce.gradient().data().clone();
        double[] x = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = z.data()[i];
        }
        for (int i = 0; i < 20; i++) {
            double fd = FiniteDifferences.partial(v -> {
                Tensor t = Tensor.zeros(4, 5);
                for (int k = 0; k < 20; k++) {
                    t.data()[k] = (float) v[k];
                }
                return new SoftmaxCrossEntropy().forward(t, labels);
            }, x, i, 1e-2);
            assertEquals(fd, grad[i], 1e-4, "d loss / d z[" + i + "]");
        }
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor z = Tensor.of(new float[] {1e30f, 0f, -1e30f, 3e38f, 3e38f, 0f}, 2, 3);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double loss = ce.forward(z, new int[] {0, 1});
        assertEquals(Math.log(2) / 2, loss, 1e-12); // row 0 certain and right, row 1 a tie of two
        assertTrue(java.util.Arrays.stream(toDouble(ce.gradient().data())).allMatch(Double::isFinite));
        assertEquals(1, ce.correct()); // the tie's first maximum (class 0) is not label 1
    }

    @Test
    void mseValueAndGradient() {
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor t = Tensor.of(new float[] {0, 2, 5, 4}, 2, 2);
        MeanSquaredError mse = new MeanSquaredError();
        assertEquals((1 + 0 + 4 + 0) / 4.0, mse.forward(y, t), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.5f, 0f, -1f, 0f}, mse.gradient().data());
    }

    @Test
    void badLabelsAreNamed() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(Tensor.zeros(2, 3), new int[] {0, 3}));
        assertTrue(e.getMessage().startsWith("labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ce.forward(Tensor.zeros(2, 3), new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError().forward(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
