package org.conv4j.nn.layer;

import java.util.Arrays;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Parallel;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Shapes;

/**
 * Max pooling for windows that all lie inside the input (no padding, floor mode), with the winner of each
 * window remembered for backward. Same semantics as core's {@code Pooling.maxForward}: the first maximum in
 * row-major window order wins, and a NaN wins (and propagates) as soon as it is seen.
 */
final class MaxPoolInside {
    /** Below this many outputs the work stays on the calling thread. */
    private static final int PARALLEL_THRESHOLD = 1 << 14;

    private int[] winners = new int[0];
    private int[] outShape;

    /** True when every window of {@code spec} lies inside any input it fits. */
    static boolean applies(Pool2dSpec spec) {
        return spec.padTop() == 0 && spec.padBottom() == 0 && spec.padLeft() == 0 && spec.padRight() == 0
                && !spec.ceilMode();
    }

    void forward(Tensor input, Pool2dSpec spec, Tensor output) {
        int[] s = input.shape();
        int h = s[2], w = s[3];
        int[] o = output.shape();
        int oh = o[2], ow = o[3];
        int planes = s[0] * s[1];
        if (winners.length < output.size()) {
            winners = new int[output.size()];
        }
        outShape = o;
        int[] win = winners;
        float[] x = input.data(), y = output.data();
        int kh = spec.kernelH(), kw = spec.kernelW(), sh = spec.strideH(), sw = spec.strideW();
        int dh = spec.dilationH(), dw = spec.dilationW();
        Parallel.forEach(planes, output.size() < PARALLEL_THRESHOLD ? 1 : ConvEngines.threads(), p -> {
            int xo = p * h * w, yo = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int first = xo + i * sh * w + j * sw;
                    int arg = first;
                    float best = x[first];
                    search:
                    for (int a = 0; a < kh; a++) {
                        int row = first + a * dh * w;
                        for (int b = 0; b < kw; b++) {
                            int at = row + b * dw;
                            float v = x[at];
                            if (v > best || v != v) {
                                best = v;
                                arg = at;
                                if (v != v) {
                                    break search;
                                }
                            }
                        }
                    }
                    y[yo + i * ow + j] = best;
                    win[yo + i * ow + j] = arg;
                }
            }
        });
    }

    void backward(Tensor gradOutput, Tensor gradInput) {
        Shapes.expect("gradOutput", gradOutput, outShape);
        float[] dy = gradOutput.data(), dx = gradInput.data();
        Arrays.fill(dx, 0f);
        int n = gradOutput.size();
        for (int i = 0; i < n; i++) {
            dx[winners[i]] += dy[i]; // in output order: overlapping windows add up deterministically
        }
    }
}
