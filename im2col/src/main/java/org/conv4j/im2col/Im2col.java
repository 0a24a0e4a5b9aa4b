package org.conv4j.im2col;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvGeometry;

/**
 * Lowering of one image into the column matrix of a convolution: row {@code (c*R + r)*S + s},
 * column {@code p - p0} holds the input pixel that output pixel {@code p = oh*OW + ow} meets under
 * tap (r, s) of channel c, or 0 where that tap falls in the padding. Only a range of channels and a
 * range {@code [p0, p1)} of output pixels is lowered at a time, so the column matrix fits a fixed
 * workspace whatever the image size. {@link Col2im} is the adjoint (scatter-add back).
 */
public final class Im2col {
    private Im2col() {
    }

    /**
     * Writes rows for {@code channels} channels starting at {@code in[inOffset]} (the first channel's
     * plane) and columns {@code [p0, p1)} into {@code col}, row stride {@code ld}.
     */
    public static void lower(float[] in, int inOffset, int channels, ConvGeometry g, int p0, int p1,
                             float[] col, int ld) {
        walk(in, inOffset, channels, g, p0, p1, col, ld, false);
    }

    /**
     * Visits every (row, output-pixel run) of the column matrix: for a gather ({@code scatter=false})
     * copies input into {@code col} with zeros in the padding; for a scatter adds {@code col} into
     * the input planes, skipping padding. Shared by {@link #lower} and {@link Col2im#accumulate} so
     * the two are exact adjoints by construction.
     */
    static void walk(float[] in, int inOffset, int channels, ConvGeometry g, int p0, int p1, float[] col, int ld,
                     boolean scatter) {
        Conv2dSpec sp = g.spec();
        int h = g.h(), w = g.w(), r = g.r(), s = g.s(), outW = g.outW();
        int sh = sp.strideH(), sw = sp.strideW(), dh = sp.dilationH(), dw = sp.dilationW();
        int plane = h * w;
        for (int c = 0; c < channels; c++) {
            int chan = inOffset + c * plane;
            for (int kr = 0; kr < r; kr++) {
                for (int ks = 0; ks < s; ks++) {
                    int row = ((c * r + kr) * s + ks) * ld - p0;
                    int colOffset = ks * dw - sp.padLeft();
                    int oh = p0 / outW, ow = p0 % outW;
                    for (int p = p0; p < p1; oh++, ow = 0) {
                        int span = Math.min(outW - ow, p1 - p);
                        int ih = oh * sh - sp.padTop() + kr * dh;
                        int dst = row + p;
                        if (ih < 0 || ih >= h) {
                            if (!scatter) {
                                java.util.Arrays.fill(col, dst, dst + span, 0f);
                            }
                        } else {
                            int iw0 = ow * sw + colOffset;       // input column of the run's first pixel
                            int lo = iw0 >= 0 ? 0 : Math.min(span, (-iw0 + sw - 1) / sw);
                            int hi = iw0 >= w ? lo : Math.max(lo, Math.min(span, (w - 1 - iw0) / sw + 1));
                            int src = chan + ih * w + iw0;
                            if (scatter) {
                                add(col, dst, in, src, lo, hi, sw);
                            } else {
                                java.util.Arrays.fill(col, dst, dst + lo, 0f);
                                copy(in, src, col, dst, lo, hi, sw);
                                java.util.Arrays.fill(col, dst + hi, dst + span, 0f);
                            }
                        }
                        p += span;
                    }
                }
            }
        }
    }

    private static void copy(float[] in, int src, float[] col, int dst, int lo, int hi, int sw) {
        if (hi <= lo) {
            return; // (arraycopy rejects a start past the array even for length 0)
        }
        if (sw == 1) {
            System.arraycopy(in, src + lo, col, dst + lo, hi - lo);
        } else {
            for (int t = lo; t < hi; t++) {
                col[dst + t] = in[src + t * sw];
            }
        }
    }

    private static void add(float[] col, int dst, float[] in, int src, int lo, int hi, int sw) {
        for (int t = lo; t < hi; t++) {
            in[src + t * sw] += col[dst + t];
        }
    }
}
