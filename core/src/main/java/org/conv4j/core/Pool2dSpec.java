package org.conv4j.core;

import java.util.Arrays;

/**
 * The hyper-parameters of 2-D max or average pooling, with PyTorch's semantics
 * ({@code max_pool2d}/{@code avg_pool2d}): window {@code kernelH x kernelW} with dilation, stride,
 * asymmetric padding of at most half the (dilated) window per side, {@code ceilMode} (the last window
 * may run past the padded input, but must start inside the input or the leading padding), and
 * {@code countIncludePad} (average pooling divides by the window clipped to the padded input
 * instead of by the real elements it covers).
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom,
                         int padLeft, int padRight, int dilationH, int dilationW, boolean ceilMode,
                         boolean countIncludePad) {

    public Pool2dSpec {
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        halfWindow("padTop", padTop, kernelH, dilationH);
        halfWindow("padBottom", padBottom, kernelH, dilationH);
        halfWindow("padLeft", padLeft, kernelW, dilationW);
        halfWindow("padRight", padRight, kernelW, dilationW);
    }

    /** A square window with the given stride, no padding, floor mode (PyTorch's defaults). */
    public static Pool2dSpec of(int kernel, int stride) {
        return new Pool2dSpec(kernel, kernel, stride, stride, 0, 0, 0, 0, 1, 1, false, true);
    }

    /** A square window with stride equal to the window (non-overlapping), as PyTorch defaults. */
    public static Pool2dSpec of(int kernel) {
        return of(kernel, kernel);
    }

    /** A square window, stride and symmetric padding. */
    public static Pool2dSpec of(int kernel, int stride, int pad) {
        return new Pool2dSpec(kernel, kernel, stride, stride, pad, pad, pad, pad, 1, 1, false, true);
    }

    public Pool2dSpec withCeilMode(boolean ceil) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padTop, padBottom, padLeft, padRight,
                dilationH, dilationW, ceil, countIncludePad);
    }

    public Pool2dSpec withCountIncludePad(boolean include) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padTop, padBottom, padLeft, padRight,
                dilationH, dilationW, ceilMode, include);
    }

    /** Output height for an input height, or throws when the window does not fit. */
    public int outputHeight(int inputHeight) {
        return extent("input height", inputHeight, padTop, padBottom, kernelH, dilationH, strideH);
    }

    /** Output width for an input width, or throws when the window does not fit. */
    public int outputWidth(int inputWidth) {
        return extent("input width", inputWidth, padLeft, padRight, kernelW, dilationW, strideW);
    }

    /** {@code [N, C, OH, OW]} for an input {@code [N, C, H, W]}. */
    public int[] outputShape(int[] inputShape) {
        if (inputShape == null || inputShape.length != 4) {
            throw new IllegalArgumentException("input: expected rank 4 [N, C, H, W], got "
                    + (inputShape == null ? "null" : "rank " + inputShape.length + " " + Arrays.toString(inputShape)));
        }
        for (int d : inputShape) {
            if (d < 1) {
                throw new IllegalArgumentException("input: expected every extent >= 1, got " + Arrays.toString(inputShape));
            }
        }
        return new int[] {inputShape[0], inputShape[1], outputHeight(inputShape[2]), outputWidth(inputShape[3])};
    }

    private int extent(String what, int in, int before, int after, int kernel, int dilation, int stride) {
        long span = (long) dilation * (kernel - 1) + 1;
        long room = (long) in + before + after - span;
        if (room < 0) {
            throw new IllegalArgumentException(what + ": expected the padded " + what + " " + ((long) in + before + after)
                    + " to hold the pooling window of " + span + ", got " + what + "=" + in);
        }
        long out = (ceilMode ? Math.ceilDiv(room, stride) : room / stride) + 1;
        // PyTorch: in ceil mode the last window must start inside the input or the leading padding
        if (ceilMode && (out - 1) * stride >= (long) in + before) {
            out--;
        }
        return (int) out;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": expected >= 1, got " + v);
        }
    }

    private static void halfWindow(String name, int pad, int kernel, int dilation) {
        int max = (dilation * (kernel - 1) + 1) / 2;
        if (pad < 0 || pad > max) {
            throw new IllegalArgumentException(name + ": expected 0 <= pad <= " + max
                    + " (half the dilated window), got " + pad);
        }
    }
}
