package org.conv4j.simd;

import java.util.Arrays;

/**
 * How one channel of a chunk of images sits in a packed buffer so that every tap of a strided,
 * dilated, padded convolution becomes one contiguous run of floats.
 *
 * <p>The logical plane is the zero-padded input, {@code paddedH x paddedW}. It is split into
 * {@code strideH * strideW} phase planes ({@code phase[ph][pw][i][j] = padded[i*strideH+ph][j*strideW+pw]}),
 * each {@code rows x cols} with the chunk's images one after another. An output pixel
 * {@code (image, oh, ow)} then has the flat position {@code p = image*imageStride + oh*cols + ow}, and
 * the input it meets at tap {@code (r, s)} is at {@code p + tapOffset(r, s)} in the channel. Positions
 * with {@code ow >= outW} or {@code oh >= outH} are computed and thrown away: that waste (a few
 * columns per row) buys loads without bounds checks, branches or gathers in the micro-kernels.
 */
record PlaneLayout(int images, int paddedH, int paddedW, int strideH, int strideW, int rows, int cols,
                   ColumnCopies copies) {

    /**
     * A stride-1 layout without junk columns: {@code count} copies of the plane, one per kernel column,
     * each {@code rows x cols} with {@code cols = outW}, copy {@code j} holding padded columns
     * {@code first + j*step} to {@code first + j*step + cols - 1} of every row. Output pixel {@code (oh, ow)}
     * is position {@code oh*cols + ow}, and tap {@code (r, j)} reads it at {@code j*copyStride + row(r)*cols}:
     * every tap is still one contiguous run, but the positions are the output plane itself (ResNet 14x14:
     * 13 vectors of 16 positions instead of 14) at the price of packing the input {@code count} times.
     */
    record ColumnCopies(int count, int first, int step) {
        /** The copy that starts at padded column {@code x}. */
        int index(int x) {
            int j = (x - first) / step;
            if (x < first || (x - first) % step != 0 || j >= count) {
                throw new IllegalArgumentException("column: expected " + first + " + j*" + step + " for j < " + count
                        + ", got " + x);
            }
            return j;
        }
    }

    /** A layout with one copy of each phase plane. */
    PlaneLayout(int images, int paddedH, int paddedW, int strideH, int strideW, int rows, int cols) {
        this(images, paddedH, paddedW, strideH, strideW, rows, cols, null);
    }

    /**
     * The layout {@link DirectConvolution} packs {@code plan}'s source in: {@link #of}, except that at
     * stride 1 with zero columns on both sides a row's right padding is the next row's left padding
     * ({@code cols = paddedW - shared}). A tap that reads past the end of a row then reads the next
     * row's left zeros (or, after a plane's last row, the next plane's, or the zeroed margin), which is
     * what the right padding held. One junk column per row instead of two for 3x3 kernels with padding 1:
     * ResNet's 28x28 layers compute 51 vectors of positions instead of 53.
     */
    static PlaneLayout forPlan(ConvPlan plan, int images) {
        int rightZeros = plan.paddedW() - plan.left() - plan.srcW();
        // at most the junk columns: each output row keeps its own positions (cols >= outW)
        int shared = Math.min(Math.min(plan.left(), rightZeros), plan.paddedW() - plan.outW());
        if (plan.strideW() != 1 || plan.upW() != 1 || plan.left() < 0 || shared <= 0) {
            return of(images, plan.paddedH(), plan.paddedW(), plan.strideH(), plan.strideW());
        }
        return new PlaneLayout(images, plan.paddedH(), plan.paddedW(), plan.strideH(), 1,
                ceilDiv(plan.paddedH(), plan.strideH()), plan.paddedW() - shared);
    }

    /** True when {@code plan}'s source can be laid out as {@link #columnCopies}: stride 1, no upsampling. */
    static boolean copiesColumns(ConvPlan plan) {
        return plan.strideH() == 1 && plan.strideW() == 1 && plan.upH() == 1 && plan.upW() == 1;
    }

    /**
     * {@code plan}'s source as {@link ColumnCopies}, one copy per kernel column: for a stride-1 plan
     * without upsampling ({@link #copiesColumns}).
     */
    static PlaneLayout columnCopies(ConvPlan plan, int images) {
        if (!copiesColumns(plan)) {
            throw new IllegalArgumentException("plan: expected stride 1 without upsampling, got stride "
                    + plan.strideH() + "x" + plan.strideW() + ", upsampling " + plan.upH() + "x" + plan.upW());
        }
        return new PlaneLayout(images, plan.paddedH(), plan.paddedW(), 1, 1, plan.paddedH(), plan.outW(),
                new ColumnCopies(plan.s(), plan.originW(), plan.dilationW()));
    }

    static PlaneLayout of(int images, int paddedH, int paddedW, int strideH, int strideW) {
        return new PlaneLayout(images, paddedH, paddedW, strideH, strideW, ceilDiv(paddedH, strideH),
                ceilDiv(paddedW, strideW));
    }

    int imageStride() {
        return rows * cols;
    }

    int phaseStride() {
        return images * rows * cols;
    }

    int channelStride() {
        return strideH * strideW * phaseStride() * (copies == null ? 1 : copies.count());
    }

    /**
     * Offset, within a channel, of padded pixel {@code (y, x)} of image 0; with {@link ColumnCopies}, in
     * the copy whose column 0 is {@code x}.
     */
    int offset(int y, int x) {
        if (copies != null) {
            return copies.index(x) * phaseStride() + y * cols;
        }
        return ((y % strideH) * strideW + x % strideW) * phaseStride() + (y / strideH) * cols + x / strideW;
    }

    /** The flat position of output pixel {@code (oh, ow)} of the last image plus one: the positions to compute. */
    int positions(int outH, int outW) {
        return (images - 1) * imageStride() + (outH - 1) * cols + outW;
    }

    /**
     * Writes one channel of {@link #images} source planes into {@code dst} at {@code dstOff}: source
     * pixel {@code (i, j)} goes to padded pixel {@code (top + i*upH, left + j*upW)} when that lies inside
     * the padded plane (so negative {@code top}/{@code left} crop), everything else is zero. Upsampling
     * ({@code upH, upW > 1}) inserts the zeros of a transposed strided convolution.
     */
    void pack(float[] src, int srcOff, int srcImageStride, int srcH, int srcW, int upH, int upW, int top, int left,
              float[] dst, int dstOff) {
        if (channelStride() == images && srcH == 1 && srcW == 1 && top == 0 && left == 0) {
            for (int img = 0; img < images; img++) { // 1x1 planes (fully-connected): a gather across the batch
                dst[dstOff + img] = src[srcOff + img * srcImageStride];
            }
            return;
        }
        if (copies != null) { // stride 1, no upsampling: each copy is the plane cropped to its columns
            for (int j = 0; j < copies.count(); j++) {
                int shifted = left - (copies.first() + j * copies.step()); // copy column of source column 0
                packRows(src, srcOff, srcImageStride, srcH, srcW, top, shifted, Math.max(0, -shifted),
                        Math.min(srcW - 1, cols - 1 - shifted), dst, dstOff + j * phaseStride());
            }
            return;
        }
        int j0 = Math.max(0, ceilDiv(-left, upW));
        int j1 = Math.min(srcW - 1, Math.floorDiv(paddedW - 1 - left, upW));
        if (strideH == 1 && strideW == 1 && upH == 1 && upW == 1) {
            packRows(src, srcOff, srcImageStride, srcH, srcW, top, left, j0, j1, dst, dstOff);
            return;
        }
        Arrays.fill(dst, dstOff, dstOff + channelStride(), 0f);
        if (j1 < j0) {
            return;
        }
        boolean contiguous = upW == 1 && strideW == 1;
        // Otherwise the columns j, j + period, j + 2*period, ... land in one phase plane, dStep apart: a
        // strided copy per phase (an offset() per element, with its divisions, took a quarter of the stem).
        int period = strideW / gcd(upW, strideW), dStep = period * upW / strideW;
        for (int img = 0; img < images; img++) {
            int imgDst = dstOff + img * imageStride();
            for (int i = 0; i < srcH; i++) {
                int y = top + i * upH;
                if (y < 0 || y >= paddedH) {
                    continue;
                }
                int srcRow = srcOff + img * srcImageStride + i * srcW;
                int row = imgDst + offset(y, 0); // offset(y, x) = offset(y, 0) + offset(0, x)
                if (contiguous) {
                    System.arraycopy(src, srcRow + j0, dst, row + left + j0, j1 - j0 + 1);
                } else {
                    for (int first = j0; first < j0 + period && first <= j1; first++) {
                        for (int j = first, d = row + offset(0, left + first * upW); j <= j1; j += period, d += dStep) {
                            dst[d] = src[srcRow + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #pack} at stride 1 without upsampling, row by row: each padded row is its zero margins and one
     * copied run, so every float is written once (zeroing the whole plane first wrote the interior twice).
     */
    private void packRows(float[] src, int srcOff, int srcImageStride, int srcH, int srcW, int top, int left,
                          int j0, int j1, float[] dst, int dstOff) {
        for (int img = 0; img < images; img++) {
            for (int y = 0, row = dstOff + img * imageStride(); y < paddedH; y++, row += cols) {
                int i = y - top;
                if (i < 0 || i >= srcH || j1 < j0) {
                    Arrays.fill(dst, row, row + cols, 0f);
                    continue;
                }
                Arrays.fill(dst, row, row + left + j0, 0f);
                System.arraycopy(src, srcOff + img * srcImageStride + i * srcW + j0, dst, row + left + j0, j1 - j0 + 1);
                Arrays.fill(dst, row + left + j1 + 1, row + cols, 0f);
            }
        }
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
