package org.conv4j.im2col;

import org.conv4j.core.ConvGeometry;

/**
 * The adjoint of {@link Im2col#lower}: adds every element of a column matrix back onto the input
 * pixel it was read from (padding taps are dropped). Backward-input is the GEMM with the
 * transposed weights followed by this scatter-add.
 */
public final class Col2im {
    private Col2im() {
    }

    /**
     * Adds rows for {@code channels} channels and columns {@code [p0, p1)} of {@code col} (row stride
     * {@code ld}) into the channel planes starting at {@code in[inOffset]}.
     */
    public static void accumulate(float[] col, int ld, ConvGeometry g, int p0, int p1, float[] in, int inOffset,
                                  int channels) {
        Im2col.walk(in, inOffset, channels, g, p0, p1, col, ld, true);
    }
}
