package org.conv4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.conv4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Linear's three products (forward with the batch in the lanes, weight and input gradients in row tiles; 4 x
 * 2-vector tiles with row, vector and column tails) against the sums written plainly in double, on sizes around every tile edge; with the batch size changing between calls, so reused
 * padded buffers with leftovers in their padding columns are exercised too.
 */
class LinearKernelTest {

    @ParameterizedTest(name = "in {0}, out {1}")
    @CsvSource({"1, 1", "7, 3", "400, 120", "120, 84", "84, 10", "16, 5", "33, 9", "3136, 6"})
    void forwardMatchesTheDefinition(int in, int out) {
        SplittableRandom r = new SplittableRandom(in * 31L + out);
        Linear fc = new Linear(in, out);
        for (float[] p : new float[][] {fc.weight().value().data(), fc.bias().value().data()}) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextGaussian();
            }
        }
        for (int n : new int[] {64, 1, 15, 16, 17, 31, 32, 33, 47, 100, 60, 64}) {
            Tensor x = Tensor.zeros(n, in);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = (float) r.nextGaussian();
            }
            float[] y = fc.forward(x).data();
            float[] w = fc.weight().value().data(), b = fc.bias().value().data();
            for (int row = 0; row < n; row++) {
                for (int o = 0; o < out; o++) {
                    double sum = b[o], abs = Math.abs(b[o]);
                    for (int i = 0; i < in; i++) {
                        sum += (double) x.data()[row * in + i] * w[o * in + i];
                        abs += Math.abs((double) x.data()[row * in + i] * w[o * in + i]);
                    }
                    // float rounding: at most (in + 1) roundings of partial sums bounded by the sum of |terms|
                    double bound = (in + 1) * Math.ulp(1f) * abs;
                    assertEquals(sum, y[row * out + o], bound, "n " + n + ", row " + row + ", output " + o);
                }
            }
            Tensor dy = Tensor.zeros(n, out);
            for (int i = 0; i < dy.size(); i++) {
                dy.data()[i] = (float) r.nextGaussian();
            }
            float[] dx = fc.backward(dy).data(), dw = fc.weight().grad().data(), db = fc.bias().grad().data();
            float[] xd = x.data(), g = dy.data();
            for (int o = 0; o < out; o++) {
                double sb = 0, ab = 0;
                for (int row = 0; row < n; row++) {
                    sb += g[row * out + o];
                    ab += Math.abs(g[row * out + o]);
                }
                assertEquals(sb, db[o], (n + 1) * Math.ulp(1f) * ab, "bias gradient " + o + ", n " + n);
                for (int i = 0; i < in; i++) {
                    double sum = 0, abs = 0;
                    for (int row = 0; row < n; row++) {
                        sum += (double) g[row * out + o] * xd[row * in + i];
                        abs += Math.abs((double) g[row * out + o] * xd[row * in + i]);
                    }
                    assertEquals(sum, dw[o * in + i], (n + 1) * Math.ulp(1f) * abs, "weight gradient " + o + "," + i + ", n " + n);
                }
            }
            for (int row = 0; row < n; row++) {
                for (int i = 0; i < in; i++) {
                    double sum = 0, abs = 0;
                    for (int o = 0; o < out; o++) {
                        sum += (double) g[row * out + o] * w[o * in + i];
                        abs += Math.abs((double) g[row * out + o] * w[o * in + i]);
                    }
                    assertEquals(sum, dx[row * in + i], (out + 1) * Math.ulp(1f) * abs, "input gradient " + row + "," + i + ", n " + n);
                }
            }
        }
    }
}
