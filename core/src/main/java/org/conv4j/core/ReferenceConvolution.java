package org.conv4j.core;

/**
 * The definition of convolution and its two gradients, written as plainly as possible over
 * double-precision NCHW arrays. The {@code naive} engine is this code on float tensors; tests also
 * use it directly as a double-precision function for finite differences.
 *
 * <p>Every pass walks the same seven loops, visiting each (output, input, weight) triple once:
 * <pre>
 * out[n,k,oh,ow]  +=  in[n, g*Cg + c, oh*strideH - padTop + r*dilationH, ow*strideW - padLeft + s*dilationW]
 *                   * w[k, c, r, s]            (g = k / Kg; positions outside the input read as 0)
 * </pre>
 * Forward accumulates that product into {@code out}; backward-input scatters {@code gradOut * w} into
 * {@code gradIn}; backward-weight accumulates {@code in * gradOut} into {@code gradW}.
 */
public final class ReferenceConvolution {
    private ReferenceConvolution() {
    }

    /** {@code out = conv(in, w) + bias}, all NCHW/OIHW; {@code bias} may be null. */
    public static double[] forward(double[] in, double[] w, double[] bias, ConvGeometry g) {
        checkLength("input", in, g.inputShape());
        checkLength("weight", w, g.weightShape());
        double[] out = new double[g.n() * g.k() * g.outH() * g.outW()];
        Conv2dSpec p = g.spec();
        int kg = g.kPerGroup(), cg = g.cPerGroup();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                int group = k / kg;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double sum = bias == null ? 0 : bias[k];
                        for (int c = 0; c < cg; c++) {
                            int ci = group * cg + c;
                            for (int r = 0; r < g.r(); r++) {
                                int ih = oh * p.strideH() - p.padTop() + r * p.dilationH();
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = ow * p.strideW() - p.padLeft() + s * p.dilationW();
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    sum += in[((n * g.c() + ci) * g.h() + ih) * g.w() + iw]
                                            * w[((k * cg + c) * g.r() + r) * g.s() + s];
                                }
                            }
                        }
                        out[((n * g.k() + k) * g.outH() + oh) * g.outW() + ow] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** {@code gradIn[i] = sum over outputs o that read i of gradOut[o] * w[tap(o, i)]}. */
    public static double[] backwardInput(double[] gradOut, double[] w, ConvGeometry g) {
        checkLength("gradOutput", gradOut, g.outputShape());
        checkLength("weight", w, g.weightShape());
        double[] gradIn = new double[g.n() * g.c() * g.h() * g.w()];
        Conv2dSpec p = g.spec();
        int kg = g.kPerGroup(), cg = g.cPerGroup();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                int group = k / kg;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double dy = gradOut[((n * g.k() + k) * g.outH() + oh) * g.outW() + ow];
                        for (int c = 0; c < cg; c++) {
                            int ci = group * cg + c;
                            for (int r = 0; r < g.r(); r++) {
                                int ih = oh * p.strideH() - p.padTop() + r * p.dilationH();
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = ow * p.strideW() - p.padLeft() + s * p.dilationW();
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    gradIn[((n * g.c() + ci) * g.h() + ih) * g.w() + iw]
                                            += dy * w[((k * cg + c) * g.r() + r) * g.s() + s];
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradIn;
    }

    /** {@code gradW[k,c,r,s] = sum over n, oh, ow of in[..] * gradOut[n,k,oh,ow]}. */
    public static double[] backwardWeight(double[] in, double[] gradOut, ConvGeometry g) {
        checkLength("input", in, g.inputShape());
        checkLength("gradOutput", gradOut, g.outputShape());
        double[] gradW = new double[g.k() * g.cPerGroup() * g.r() * g.s()];
        Conv2dSpec p = g.spec();
        int kg = g.kPerGroup(), cg = g.cPerGroup();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                int group = k / kg;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double dy = gradOut[((n * g.k() + k) * g.outH() + oh) * g.outW() + ow];
                        for (int c = 0; c < cg; c++) {
                            int ci = group * cg + c;
                            for (int r = 0; r < g.r(); r++) {
                                int ih = oh * p.strideH() - p.padTop() + r * p.dilationH();
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = ow * p.strideW() - p.padLeft() + s * p.dilationW();
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    gradW[((k * cg + c) * g.r() + r) * g.s() + s]
                                            += in[((n * g.c() + ci) * g.h() + ih) * g.w() + iw] * dy;
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradW;
    }

    /** {@code gradBias[k] = sum over n, oh, ow of gradOut[n,k,oh,ow]}. */
    public static double[] backwardBias(double[] gradOut, ConvGeometry g) {
        checkLength("gradOutput", gradOut, g.outputShape());
        double[] gradB = new double[g.k()];
        int plane = g.outH() * g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int i = 0; i < plane; i++) {
                    gradB[k] += gradOut[(n * g.k() + k) * plane + i];
                }
            }
        }
        return gradB;
    }

    private static void checkLength(String name, double[] a, int[] shape) {
        long expected = Tensor.elementCount(shape);
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException(name + ": expected " + expected + " values for shape "
                    + java.util.Arrays.toString(shape) + ", got " + (a == null ? "null" : a.length));
        }
    }
}
