package org.conv4j.core;

import java.util.Arrays;

/**
 * The hyper-parameters of a 2-D convolution (cross-correlation): strides, asymmetric zero
 * padding, dilations and groups. Shapes are not part of the spec; they come with the tensors.
 *
 * <p>For an input {@code [N, C, H, W]} and weights {@code [K, C/groups, R, S]} the output is
 * {@code [N, K, OH, OW]} with
 * {@code OH = floor((H + padTop + padBottom - dilationH*(R-1) - 1) / strideH) + 1} (likewise OW) and
 * <pre>
 * out[n,k,oh,ow] = bias[k] + sum over c in group(k), r, s of
 *                  in[n, c, oh*strideH - padTop + r*dilationH, ow*strideW - padLeft + s*dilationW] * w[k, c', r, s]
 * </pre>
 * where out-of-range input positions read as zero: the lecture's
 * {@code TM(r,c) = sum_ch sum_i sum_j im[r+i, c+j, ch] t[i, j, ch]}.
 */
public record Conv2dSpec(int strideH, int strideW, int padTop, int padBottom, int padLeft,
                         int padRight, int dilationH, int dilationW, int groups) {

    /** Stride 1, no padding, no dilation, one group. */
    public static final Conv2dSpec DEFAULT = new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1, 1);

    public Conv2dSpec {
        positive("strideH", strideH);
        positive("strideW", strideW);
        nonNegative("padTop", padTop);
        nonNegative("padBottom", padBottom);
        nonNegative("padLeft", padLeft);
        nonNegative("padRight", padRight);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        positive("groups", groups);
    }

    /** The same stride on both axes and the same padding on all four sides. */
    public static Conv2dSpec of(int stride, int pad) {
        return new Conv2dSpec(stride, stride, pad, pad, pad, pad, 1, 1, 1);
    }

    /**
     * "Same" padding for an odd kernel at stride 1: the output has the input's height and width.
     * Pads {@code (kernelH-1)/2} rows above and below and {@code (kernelW-1)/2} columns each side.
     */
    public static Conv2dSpec same(int kernelH, int kernelW) {
        if (kernelH < 1 || kernelH % 2 == 0) {
            throw new IllegalArgumentException("kernelH: expected an odd size >= 1 for same padding, got " + kernelH);
        }
        if (kernelW < 1 || kernelW % 2 == 0) {
            throw new IllegalArgumentException("kernelW: expected an odd size >= 1 for same padding, got " + kernelW);
        }
        int ph = (kernelH - 1) / 2;
        int pw = (kernelW - 1) / 2;
        return new Conv2dSpec(1, 1, ph, ph, pw, pw, 1, 1, 1);
    }

    /** "Same" padding for a square odd kernel. */
    public static Conv2dSpec same(int kernel) {
        return same(kernel, kernel);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        return new Builder().stride(strideH, strideW).pad(padTop, padBottom, padLeft, padRight)
                .dilation(dilationH, dilationW).groups(groups);
    }

    public Conv2dSpec withGroups(int g) {
        return toBuilder().groups(g).build();
    }

    public Conv2dSpec withDilation(int d) {
        return toBuilder().dilation(d).build();
    }

    /**
     * The output shape {@code [N, K, OH, OW]} for an input {@code [N, C, H, W]} and weights
     * {@code [K, C/groups, R, S]}, after checking that the two agree with each other and with this spec.
     */
    public int[] outputShape(int[] inputShape, int[] weightShape) {
        ConvGeometry g = ConvGeometry.of(inputShape, weightShape, this);
        return new int[] {g.n(), g.k(), g.outH(), g.outW()};
    }

    /** The output extent along one axis, or a value below 1 when the kernel does not fit. */
    static long outputExtent(int in, int padBefore, int padAfter, int dilation, int kernel, int stride) {
        long span = (long) dilation * (kernel - 1) + 1;
        long padded = (long) in + padBefore + padAfter;
        return padded < span ? 0 : (padded - span) / stride + 1;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": expected >= 1, got " + v);
        }
    }

    private static void nonNegative(String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + ": expected >= 0, got " + v);
        }
    }

    @Override
    public String toString() {
        return "Conv2dSpec[stride=" + strideH + "x" + strideW + ", pad(t,b,l,r)="
                + Arrays.toString(new int[] {padTop, padBottom, padLeft, padRight}) + ", dilation="
                + dilationH + "x" + dilationW + ", groups=" + groups + "]";
    }

    /** Builds a {@link Conv2dSpec}; starts from {@link #DEFAULT}. */
    public static final class Builder {
        private int strideH = 1, strideW = 1;
        private int padTop, padBottom, padLeft, padRight;
        private int dilationH = 1, dilationW = 1;
        private int groups = 1;

        private Builder() {
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int h, int w) {
            strideH = h;
            strideW = w;
            return this;
        }

        public Builder pad(int p) {
            return pad(p, p, p, p);
        }

        public Builder pad(int h, int w) {
            return pad(h, h, w, w);
        }

        public Builder pad(int top, int bottom, int left, int right) {
            padTop = top;
            padBottom = bottom;
            padLeft = left;
            padRight = right;
            return this;
        }

        public Builder dilation(int d) {
            return dilation(d, d);
        }

        public Builder dilation(int h, int w) {
            dilationH = h;
            dilationW = w;
            return this;
        }

        public Builder groups(int g) {
            groups = g;
            return this;
        }

        public Conv2dSpec build() {
            return new Conv2dSpec(strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH,
                    dilationW, groups);
        }
    }
}
