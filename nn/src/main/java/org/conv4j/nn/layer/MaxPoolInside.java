package org.conv4j.nn.layer;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Tensor;

/**
 * Max pooling for windows that all lie inside the input (no padding, floor mode), the usual 2x2 stride 2
 * case, without core's per-tap bounds checks. Same results as core's {@code Pooling} (tested), but for the
 * sign of a zero maximum: the value is the window's maximum by {@link Math#max} (a NaN propagates; of -0 and
 * +0 it gives +0, where core keeps the first), and the gradient goes to the first tap in row-major order equal
 * to the output (the first NaN for a NaN output), which is core's rule exactly.
 *
 * <p>Forward keeps only the value, through {@code Math.max} (an intrinsic without branches: a mispredicted
 * branch per tap and winner bookkeeping tripled its time); backward finds each window's winner again by
 * comparing with the output.
 */
final class MaxPoolInside {
    /** Below this many outputs the work stays on the calling thread. */
    private static final int PARALLEL_THRESHOLD = 1 << 14;

    private MaxPoolInside() {
    }

    /** True when every window of {@code spec} lies inside any input it fits. */
    static boolean applies(Pool2dSpec spec) {
        return spec.padTop() == 0 && spec.padBottom() == 0 && spec.padLeft() == 0 && spec.padRight() == 0
                && !spec.ceilMode();
    }

    static void forward(Tensor input, Pool2dSpec spec, Tensor output) {
        Geometry g = Geometry.of(input, spec, output);
        float[] x = input.data(), y = output.data();
        if (g.isTwoByTwoStrideTwo()) {
            MaxPoolTwoByTwo.Tail tail = MaxPoolTwoByTwo.Tail.of(g.ow);
            Parallel.forEach(g.planes, threads(output), p -> MaxPoolTwoByTwo.forward(x, y, g.h, g.w, p, tail));
            return;
        }
        if (g.isTwoByTwo()) {
            Parallel.forEach(g.planes, threads(output), p -> forwardTwoByTwo(x, y, g, p));
            return;
        }
        Parallel.forEach(g.planes, threads(output), p -> {
            int xo = p * g.h * g.w, yo = p * g.oh * g.ow;
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int first = xo + i * g.sh * g.w + j * g.sw;
                    float best = x[first];
                    for (int a = 0; a < g.kh; a++) {
                        int row = first + a * g.dh * g.w;
                        for (int b = 0; b < g.kw; b++) {
                            best = Math.max(best, x[row + b * g.dw]);
                        }
                    }
                    y[yo + i * g.ow + j] = best;
                }
            }
        });
    }

    /** {@code gradInput} from the forward's input and output: each output's gradient goes to its window's winner. */
    static void backward(Tensor input, Tensor output, Tensor gradOutput, Pool2dSpec spec, Tensor gradInput) {
        Geometry g = Geometry.of(input, spec, output);
        float[] x = input.data(), y = output.data(), dy = gradOutput.data(), dx = gradInput.data();
        if (g.isTwoByTwoStrideTwo()) {
            MaxPoolTwoByTwo.Tail tail = MaxPoolTwoByTwo.Tail.of(g.ow);
            Parallel.forEach(g.planes, threads(output), p -> MaxPoolTwoByTwo.backward(x, y, dy, dx, g.h, g.w, p, tail));
            return;
        }
        if (g.isTwoByTwo()) {
            Parallel.forEach(g.planes, threads(output), p -> backwardTwoByTwo(x, y, dy, dx, g, p));
            return;
        }
        Parallel.forEach(g.planes, threads(output), p -> {
            int xo = p * g.h * g.w, yo = p * g.oh * g.ow;
            Arrays.fill(dx, xo, xo + g.h * g.w, 0f);
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int first = xo + i * g.sh * g.w + j * g.sw;
                    float best = y[yo + i * g.ow + j];
                    boolean nan = best != best;
                    int arg = first;
                    search:
                    for (int a = 0; a < g.kh; a++) {
                        int row = first + a * g.dh * g.w;
                        for (int b = 0; b < g.kw; b++) {
                            float v = x[row + b * g.dw];
                            if (v == best || nan && v != v) {
                                arg = row + b * g.dw;
                                break search;
                            }
                        }
                    }
                    dx[arg] += dy[yo + i * g.ow + j]; // overlapping windows add up in output order
                }
            }
        });
    }

    /** The 2x2 window unrolled: loops of two taps with unknown bounds cost four times the comparisons. */
    private static void forwardTwoByTwo(float[] x, float[] y, Geometry g, int p) {
        int xo = p * g.h * g.w, yo = p * g.oh * g.ow, w = g.w, sh = g.sh, sw = g.sw;
        for (int i = 0; i < g.oh; i++) {
            int rowStart = xo + i * sh * w, out = yo + i * g.ow;
            for (int j = 0; j < g.ow; j++) {
                int first = rowStart + j * sw;
                y[out + j] = Math.max(Math.max(x[first], x[first + 1]), Math.max(x[first + w], x[first + w + 1]));
            }
        }
    }

    private static void backwardTwoByTwo(float[] x, float[] y, float[] dy, float[] dx, Geometry g, int p) {
        int xo = p * g.h * g.w, yo = p * g.oh * g.ow, w = g.w, sh = g.sh, sw = g.sw;
        Arrays.fill(dx, xo, xo + g.h * w, 0f);
        for (int i = 0; i < g.oh; i++) {
            int rowStart = xo + i * sh * w, out = yo + i * g.ow;
            for (int j = 0; j < g.ow; j++) {
                int first = rowStart + j * sw;
                float best = y[out + j];
                boolean nan = best != best;
                float x0 = x[first], x1 = x[first + 1], x2 = x[first + w];
                // the first tap equal to the output (or the first NaN) takes the gradient: its number is the
                // lowest set bit of the match mask (bit 3 set for the last tap), found without branches,
                // because which tap wins is data and would mispredict
                int mask = (x0 == best | nan & x0 != x0 ? 1 : 0) | (x1 == best | nan & x1 != x1 ? 2 : 0)
                        | (x2 == best | nan & x2 != x2 ? 4 : 0) | 8;
                int k = Integer.numberOfTrailingZeros(mask);
                dx[first + (k & 1) + (k >> 1) * w] += dy[out + j];
            }
        }
    }

    private static int threads(Tensor output) {
        return output.size() < PARALLEL_THRESHOLD ? 1 : ConvEngines.threads();
    }

    /** The sizes one call needs, read once. */
    private record Geometry(int planes, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int dh, int dw) {
        boolean isTwoByTwo() {
            return kh == 2 && kw == 2 && dh == 1 && dw == 1;
        }

        /** The vectorised case: {@link MaxPoolTwoByTwo}. */
        boolean isTwoByTwoStrideTwo() {
            return isTwoByTwo() && sh == 2 && sw == 2;
        }

        static Geometry of(Tensor input, Pool2dSpec s, Tensor output) {
            int[] in = input.shape(), out = output.shape();
            return new Geometry(in[0] * in[1], in[2], in[3], out[2], out[3], s.kernelH(), s.kernelW(), s.strideH(),
                    s.strideW(), s.dilationH(), s.dilationW());
        }
    }
}
