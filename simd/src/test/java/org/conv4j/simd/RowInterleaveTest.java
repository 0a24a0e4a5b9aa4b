package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The forward pass's weight packing against its definition, element by element: every panel height
 * (the six-row zip path and the element-by-element one), every count of valid rows (zero rows below them), lengths
 * from empty through several vector blocks with every tail, and nothing written outside the panel.
 */
class RowInterleaveTest {
    private static final int L = MicroKernels.LANES;

    static Stream<Arguments> cases() {
        return IntStream.rangeClosed(1, RowInterleave.MAX_ROWS).boxed().flatMap(mr -> IntStream.rangeClosed(1, mr)
                .boxed().flatMap(rows -> IntStream.of(0, 1, L - 1, L, L + 1, 2 * L + 3, 4 * L, 9 * 15)
                        .mapToObj(length -> Arguments.of(mr, rows, length))));
    }

    @ParameterizedTest(name = "mr {0}, rows {1}, length {2}")
    @MethodSource("cases")
    void matchesTheDefinition(int mr, int rows, int length) {
        int base = 5, rowStride = length + 7, off = 3;
        float[] src = new float[base + mr * rowStride + L];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1; // distinct, non-zero: a misplaced or missing element shows
        }
        float[] dst = new float[off + mr * length + 4];
        java.util.Arrays.fill(dst, -1f);
        RowInterleave.interleave(src, base, rowStride, rows, mr, length, dst, off);
        for (int j = 0; j < length; j++) {
            for (int m = 0; m < mr; m++) {
                float expected = m < rows ? src[base + m * rowStride + j] : 0f;
                assertEquals(expected, dst[off + j * mr + m], "step " + j + ", row " + m);
            }
        }
        for (int i = 0; i < off; i++) {
            assertEquals(-1f, dst[i], "written before the panel at " + i);
        }
        for (int i = off + mr * length; i < dst.length; i++) {
            assertEquals(-1f, dst[i], "written after the panel at " + i);
        }
    }

    @Test
    void handWorkedSixRows() {
        // Two rows of a six-row panel, three steps: the other four rows are zero.
        float[] src = {1, 2, 3, 10, 20, 30};
        float[] dst = new float[18];
        RowInterleave.interleave(src, 0, 3, 2, 6, 3, dst, 0);
        assertEquals(java.util.List.of(1f, 10f, 0f, 0f, 0f, 0f, 2f, 20f, 0f, 0f, 0f, 0f, 3f, 30f, 0f, 0f, 0f, 0f),
                IntStream.range(0, 18).mapToObj(i -> dst[i]).toList());
    }

    @Test
    void rejectsMoreRowsThanThePanel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowInterleave.interleave(new float[8], 0, 1, 3, 2, 1, new float[8], 0));
        assertEquals("rows, mr: expected 1 <= rows <= mr <= 6, got rows 3, mr 2", e.getMessage());
    }
}
