package org.conv4j.nn.demos;

import java.util.Locale;

/** Small matrices as aligned text, the way the lecture's slides show them. */
final class Grids {
    private Grids() {
    }

    /** Rows of {@code cols} values from {@code data[offset..]}, each line indented by {@code indent}. */
    static String of(float[] data, int offset, int rows, int cols, String indent) {
        return of(data, offset, rows, cols, indent, false);
    }

    /** As {@link #of(float[], int, int, int, String)}, with zeros shown as dots when {@code dotZeros}, to show sparsity. */
    static String of(float[] data, int offset, int rows, int cols, String indent, boolean dotZeros) {
        int width = 1;
        for (int i = 0; i < rows * cols; i++) {
            width = Math.max(width, number(data[offset + i]).length());
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            sb.append(indent);
            for (int c = 0; c < cols; c++) {
                float x = data[offset + r * cols + c];
                String v = dotZeros && x == 0 ? "." : number(x);
                sb.append(c == 0 ? "" : " ").append(" ".repeat(width - v.length())).append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Every channel of one image {@code [C, H, W]} (or the first image of {@code [N, C, H, W]}), one block each. */
    static String planes(org.conv4j.core.Tensor t, String indent) {
        int[] s = t.shape();
        int h = s[s.length - 2], w = s[s.length - 1], c = s.length >= 3 ? s[s.length - 3] : 1;
        StringBuilder sb = new StringBuilder();
        for (int ch = 0; ch < c; ch++) {
            if (c > 1) {
                sb.append(indent).append("channel ").append(ch).append(":\n");
            }
            sb.append(of(t.data(), ch * h * w, h, w, indent));
        }
        return sb.toString();
    }

    /** An integer without a decimal point, otherwise up to 4 significant digits. */
    static String number(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** {@code [a, b, c]} with {@link #number} for each value. */
    static String list(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(v[i]));
        }
        return sb.append(']').toString();
    }
}
