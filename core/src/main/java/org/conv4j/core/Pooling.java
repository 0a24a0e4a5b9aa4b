package org.conv4j.core;

import java.util.Arrays;

/**
 * 2-D max and average pooling over NCHW tensors, forward and backward, with PyTorch's semantics
 * (see {@link Pool2dSpec}), plus global max and average pooling to {@code [N, C, 1, 1]}.
 *
 * <p>Max pooling treats padding as {@code -infinity}; its gradient goes to the first maximum of each
 * window in row-major order (as PyTorch's), and a NaN in a window makes that output NaN. Planes
 * ({@code n, c} pairs) are processed in parallel on up to {@link ConvEngines#threads()} threads.
 * The {@code ...(…, Tensor output)} forms overwrite a caller's tensor and allocate nothing.
 */
public final class Pooling {
    /** Below this many output elements the work stays on the calling thread. */
    private static final int PARALLEL_THRESHOLD = 1 << 15;

    private Pooling() {
    }

    // ---------------------------------------------------------------- max

    public static Tensor maxForward(Tensor input, Pool2dSpec spec) {
        Tensor out = Tensor.zeros(checkedOutputShape(input, spec));
        maxForward(input, spec, out);
        return out;
    }

    public static void maxForward(Tensor input, Pool2dSpec spec, Tensor output) {
        Window win = Window.of(input, spec);
        ConvGeometry.expectShape("output", output, win.outputShape());
        float[] x = input.data(), y = output.data();
        boolean interior = win.interior();
        if (interior && win.isTwoByTwo()) {
            forEachPlane(win, plane -> MaxPoolTwoByTwo.forward(x, plane * win.h * win.w, win.w, spec.strideH(),
                    spec.strideW(), y, plane * win.oh * win.ow, win.oh, win.ow));
            return;
        }
        forEachPlane(win, plane -> {
            int xo = plane * win.h * win.w, yo = plane * win.oh * win.ow;
            for (int oh = 0; oh < win.oh; oh++) {
                for (int ow = 0; ow < win.ow; ow++) {
                    int arg = interior ? win.interiorArgMax(x, xo, oh, ow) : win.argMax(x, xo, oh, ow);
                    y[yo + oh * win.ow + ow] = arg < 0 ? Float.NEGATIVE_INFINITY : x[xo + arg];
                }
            }
        });
    }

    public static Tensor maxBackward(Tensor input, Tensor gradOutput, Pool2dSpec spec) {
        Tensor gradInput = Tensor.zeros(checkedInputShape(input));
        maxBackward(input, gradOutput, spec, gradInput);
        return gradInput;
    }

    /** Overwrites {@code gradInput} (input's shape) with the gradient of max pooling. */
    public static void maxBackward(Tensor input, Tensor gradOutput, Pool2dSpec spec, Tensor gradInput) {
        Window win = Window.of(input, spec);
        ConvGeometry.expectShape("gradOutput", gradOutput, win.outputShape());
        ConvGeometry.expectShape("gradInput", gradInput, input.shape());
        float[] x = input.data(), dy = gradOutput.data(), dx = gradInput.data();
        boolean interior = win.interior();
        if (interior && win.isTwoByTwo()) {
            forEachPlane(win, plane -> MaxPoolTwoByTwo.backward(x, plane * win.h * win.w, win.h, win.w, spec.strideH(),
                    spec.strideW(), dy, plane * win.oh * win.ow, win.oh, win.ow, dx));
            return;
        }
        forEachPlane(win, plane -> {
            int xo = plane * win.h * win.w, yo = plane * win.oh * win.ow;
            Arrays.fill(dx, xo, xo + win.h * win.w, 0f);
            for (int oh = 0; oh < win.oh; oh++) {
                for (int ow = 0; ow < win.ow; ow++) {
                    int arg = interior ? win.interiorArgMax(x, xo, oh, ow) : win.argMax(x, xo, oh, ow);
                    if (arg >= 0) {
                        dx[xo + arg] += dy[yo + oh * win.ow + ow];
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- average

    public static Tensor avgForward(Tensor input, Pool2dSpec spec) {
        Tensor out = Tensor.zeros(checkedOutputShape(input, spec));
        avgForward(input, spec, out);
        return out;
    }

    public static void avgForward(Tensor input, Pool2dSpec spec, Tensor output) {
        Window win = Window.of(input, spec);
        ConvGeometry.expectShape("output", output, win.outputShape());
        float[] x = input.data(), y = output.data();
        forEachPlane(win, plane -> {
            int xo = plane * win.h * win.w, yo = plane * win.oh * win.ow;
            for (int oh = 0; oh < win.oh; oh++) {
                for (int ow = 0; ow < win.ow; ow++) {
                    double sum = 0;
                    for (int i = 0; i < spec.kernelH(); i++) {
                        int ih = oh * spec.strideH() - spec.padTop() + i * spec.dilationH();
                        if (ih < 0 || ih >= win.h) {
                            continue;
                        }
                        for (int j = 0; j < spec.kernelW(); j++) {
                            int iw = ow * spec.strideW() - spec.padLeft() + j * spec.dilationW();
                            if (iw >= 0 && iw < win.w) {
                                sum += x[xo + ih * win.w + iw];
                            }
                        }
                    }
                    int div = win.divisor(oh, ow);
                    y[yo + oh * win.ow + ow] = div == 0 ? 0f : (float) (sum / div);
                }
            }
        });
    }

    public static Tensor avgBackward(Tensor gradOutput, int[] inputShape, Pool2dSpec spec) {
        Tensor gradInput = Tensor.zeros(inputShape);
        avgBackward(gradOutput, spec, gradInput);
        return gradInput;
    }

    /** Overwrites {@code gradInput} (whose shape is the input's) with the gradient of average pooling. */
    public static void avgBackward(Tensor gradOutput, Pool2dSpec spec, Tensor gradInput) {
        Window win = Window.of(gradInput, spec);
        ConvGeometry.expectShape("gradOutput", gradOutput, win.outputShape());
        float[] dy = gradOutput.data(), dx = gradInput.data();
        forEachPlane(win, plane -> {
            int xo = plane * win.h * win.w, yo = plane * win.oh * win.ow;
            Arrays.fill(dx, xo, xo + win.h * win.w, 0f);
            for (int oh = 0; oh < win.oh; oh++) {
                for (int ow = 0; ow < win.ow; ow++) {
                    int div = win.divisor(oh, ow);
                    if (div == 0) {
                        continue;
                    }
                    float g = dy[yo + oh * win.ow + ow] / div;
                    for (int i = 0; i < spec.kernelH(); i++) {
                        int ih = oh * spec.strideH() - spec.padTop() + i * spec.dilationH();
                        if (ih < 0 || ih >= win.h) {
                            continue;
                        }
                        for (int j = 0; j < spec.kernelW(); j++) {
                            int iw = ow * spec.strideW() - spec.padLeft() + j * spec.dilationW();
                            if (iw >= 0 && iw < win.w) {
                                dx[xo + ih * win.w + iw] += g;
                            }
                        }
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- global

    /** The maximum of each {@code H x W} plane: {@code [N, C, H, W] -> [N, C, 1, 1]}. */
    public static Tensor globalMaxForward(Tensor input) {
        int[] s = checkedInputShape(input);
        Tensor out = Tensor.zeros(s[0], s[1], 1, 1);
        int plane = s[2] * s[3];
        float[] x = input.data(), y = out.data();
        for (int p = 0; p < s[0] * s[1]; p++) {
            y[p] = x[p * plane + globalArgMax(x, p * plane, plane)];
        }
        return out;
    }

    /** The gradient of {@link #globalMaxForward}: each plane's gradient goes to its first maximum. */
    public static Tensor globalMaxBackward(Tensor input, Tensor gradOutput) {
        int[] s = checkedInputShape(input);
        ConvGeometry.expectShape("gradOutput", gradOutput, new int[] {s[0], s[1], 1, 1});
        Tensor gradInput = Tensor.zeros(s);
        int plane = s[2] * s[3];
        float[] x = input.data(), dy = gradOutput.data(), dx = gradInput.data();
        for (int p = 0; p < s[0] * s[1]; p++) {
            dx[p * plane + globalArgMax(x, p * plane, plane)] = dy[p];
        }
        return gradInput;
    }

    /** The mean of each {@code H x W} plane: {@code [N, C, H, W] -> [N, C, 1, 1]}. */
    public static Tensor globalAvgForward(Tensor input) {
        int[] s = checkedInputShape(input);
        Tensor out = Tensor.zeros(s[0], s[1], 1, 1);
        int plane = s[2] * s[3];
        float[] x = input.data(), y = out.data();
        for (int p = 0; p < s[0] * s[1]; p++) {
            double sum = 0;
            for (int i = 0; i < plane; i++) {
                sum += x[p * plane + i];
            }
            y[p] = (float) (sum / plane);
        }
        return out;
    }

    /** The gradient of {@link #globalAvgForward}: each plane element receives gradOutput / (H·W). */
    public static Tensor globalAvgBackward(Tensor gradOutput, int[] inputShape) {
        int[] s = Tensor.checkedShape(inputShape);
        if (s.length != 4) {
            throw new IllegalArgumentException("inputShape: expected rank 4 [N, C, H, W], got " + Arrays.toString(s));
        }
        ConvGeometry.expectShape("gradOutput", gradOutput, new int[] {s[0], s[1], 1, 1});
        Tensor gradInput = Tensor.zeros(s);
        int plane = s[2] * s[3];
        float[] dy = gradOutput.data(), dx = gradInput.data();
        for (int p = 0; p < s[0] * s[1]; p++) {
            Arrays.fill(dx, p * plane, (p + 1) * plane, dy[p] / plane);
        }
        return gradInput;
    }

    // ---------------------------------------------------------------- helpers

    private static int globalArgMax(float[] x, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length && !Float.isNaN(x[offset + best]); i++) {
            if (x[offset + i] > x[offset + best] || Float.isNaN(x[offset + i])) {
                best = i;
            }
        }
        return best;
    }

    private static int[] checkedInputShape(Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException("input: expected a rank-4 tensor [N, C, H, W], got null");
        }
        if (input.rank() != 4) {
            throw new IllegalArgumentException("input: expected rank 4 [N, C, H, W], got rank " + input.rank() + " "
                    + Arrays.toString(input.shape()));
        }
        return input.shape();
    }

    private static int[] checkedOutputShape(Tensor input, Pool2dSpec spec) {
        return Window.of(input, spec).outputShape();
    }

    private static void forEachPlane(Window win, java.util.function.IntConsumer body) {
        int planes = win.n * win.c;
        long work = (long) planes * win.oh * win.ow * win.spec.kernelH() * win.spec.kernelW();
        Parallel.forEach(planes, work < PARALLEL_THRESHOLD ? 1 : ConvEngines.threads(), body);
    }

    /** The checked sizes of one pooling call and the window arithmetic shared by its passes. */
    private record Window(int n, int c, int h, int w, int oh, int ow, Pool2dSpec spec) {
        static Window of(Tensor input, Pool2dSpec spec) {
            if (spec == null) {
                throw new IllegalArgumentException("spec: expected a Pool2dSpec, got null");
            }
            int[] s = checkedInputShape(input);
            int[] o = spec.outputShape(s);
            return new Window(s[0], s[1], s[2], s[3], o[2], o[3], spec);
        }

        int[] outputShape() {
            return new int[] {n, c, oh, ow};
        }

        /** A 2x2 window without dilation: {@link MaxPoolTwoByTwo} unrolls it. */
        boolean isTwoByTwo() {
            return spec.kernelH() == 2 && spec.kernelW() == 2 && spec.dilationH() == 1 && spec.dilationW() == 1;
        }

        /** True when no window touches padding or runs past the input, so windows need no bounds checks. */
        boolean interior() {
            return spec.padTop() == 0 && spec.padLeft() == 0
                    && (long) (oh - 1) * spec.strideH() + (long) (spec.kernelH() - 1) * spec.dilationH() < h
                    && (long) (ow - 1) * spec.strideW() + (long) (spec.kernelW() - 1) * spec.dilationW() < w;
        }

        /** {@link #argMax} for a window known to lie inside the input: the common case, without bounds checks. */
        int interiorArgMax(float[] x, int planeOffset, int oh, int ow) {
            int first = oh * spec.strideH() * w + ow * spec.strideW();
            int arg = first;
            float best = x[planeOffset + first];
            if (best != best) {
                return arg;
            }
            int rowStep = spec.dilationH() * w;
            for (int i = 0, row = first; i < spec.kernelH(); i++, row += rowStep) {
                for (int j = 0, at = row; j < spec.kernelW(); j++, at += spec.dilationW()) {
                    float v = x[planeOffset + at];
                    if (v > best || v != v) {
                        best = v;
                        arg = at;
                        if (v != v) {
                            return arg; // NaN propagates, as in PyTorch
                        }
                    }
                }
            }
            return arg;
        }

        /** Offset within the plane of the first maximum of window (oh, ow), or -1 for an empty window. */
        int argMax(float[] x, int planeOffset, int oh, int ow) {
            int arg = -1;
            float best = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < spec.kernelH(); i++) {
                int ih = oh * spec.strideH() - spec.padTop() + i * spec.dilationH();
                if (ih < 0 || ih >= h) {
                    continue;
                }
                for (int j = 0; j < spec.kernelW(); j++) {
                    int iw = ow * spec.strideW() - spec.padLeft() + j * spec.dilationW();
                    if (iw < 0 || iw >= w) {
                        continue;
                    }
                    float v = x[planeOffset + ih * w + iw];
                    if (arg < 0 || v > best || Float.isNaN(v)) {
                        best = v;
                        arg = ih * w + iw;
                        if (Float.isNaN(v)) {
                            return arg; // NaN propagates, as in PyTorch
                        }
                    }
                }
            }
            return arg;
        }

        /** The average's divisor: taps inside the padded input (countIncludePad) or inside the input. */
        int divisor(int oh, int ow) {
            int rows = 0, cols = 0;
            int lowH = spec.countIncludePad() ? -spec.padTop() : 0;
            int highH = spec.countIncludePad() ? h + spec.padBottom() : h;
            int lowW = spec.countIncludePad() ? -spec.padLeft() : 0;
            int highW = spec.countIncludePad() ? w + spec.padRight() : w;
            for (int i = 0; i < spec.kernelH(); i++) {
                int ih = oh * spec.strideH() - spec.padTop() + i * spec.dilationH();
                if (ih >= lowH && ih < highH) {
                    rows++;
                }
            }
            for (int j = 0; j < spec.kernelW(); j++) {
                int iw = ow * spec.strideW() - spec.padLeft() + j * spec.dilationW();
                if (iw >= lowW && iw < highW) {
                    cols++;
                }
            }
            return rows * cols;
        }
    }
}
