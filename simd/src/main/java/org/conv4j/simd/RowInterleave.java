package org.conv4j.simd;

import static org.conv4j.simd.MicroKernels.LANES;
import static org.conv4j.simd.MicroKernels.MR;
import static org.conv4j.simd.MicroKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Interleaves up to {@code mr} rows into the [step][row] order of a weight panel:
 * {@code dst[off + j*mr + m] = src[base + m*rowStride + j]} for {@code m < rows}, zero for
 * {@code rows <= m < mr}, {@code j < length}.
 *
 * <p>This is the forward pass's weight packing (OIHW rows are contiguous over (channel, tap)). Done
 * element by element it cost about 2.3 cycles per float, a quarter of ResNet's 14x14 layer, whose
 * tasks pack every weight they use. Here {@code LANES} steps of every row are loaded as vectors and
 * the output vectors are assembled with two-vector permutes ({@code selectFrom}, one {@code vpermi2d}
 * each, on the floats' bits so no index conversion is needed): the six rows of a full-height panel are
 * zipped in pairs (6 permutes), then each output vector takes its lanes from the three zipped pairs
 * (2 permutes each): 18 permutes per {@code 6 * LANES} floats. Panels of other heights (one output per
 * group, or three) are rare and small, and go element by element.
 */
final class RowInterleave {
    /** Panel heights accepted: up to the register tiles' {@link MicroKernels#MR}. */
    static final int MAX_ROWS = MR;
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);
    /** Zipping two rows: lanes of the low half of the steps ({@code [0, LANES)}), then of the high half. */
    private static final int[] ZIP = zipTable();
    /** Six rows: for output vector {@code k}, the permutes taking pair 0 and 1, then pair 2 ({@code [k][2*LANES]}). */
    private static final int[] SIX = sixTable();

    private RowInterleave() {
    }

    static void interleave(float[] src, int base, int rowStride, int rows, int mr, int length, float[] dst,
                           int off) {
        if (mr > MAX_ROWS || rows < 1 || rows > mr) {
            throw new IllegalArgumentException("rows, mr: expected 1 <= rows <= mr <= " + MAX_ROWS + ", got rows "
                    + rows + ", mr " + mr);
        }
        int blocks = mr != MR || LANES % 2 != 0 ? 0 : length / LANES;
        if (blocks > 0) {
            six(src, base, rowStride, rows, blocks, dst, off);
        }
        int j = blocks * LANES;
        for (off += j * mr; j < length; j++, off += mr) { // the tail, and panels of other heights (rare: 1 or 3 rows)
            for (int m = 0; m < mr; m++) {
                dst[off + m] = m < rows ? src[base + m * rowStride + j] : 0f;
            }
        }
    }

    /** {@code blocks} blocks of {@code LANES} steps of a six-row panel. */
    private static void six(float[] src, int base, int rowStride, int rows, int blocks, float[] dst, int off) {
        IntVector zipLo = IntVector.fromArray(INTS, ZIP, 0), zipHi = IntVector.fromArray(INTS, ZIP, LANES);
        IntVector zero = IntVector.zero(INTS);
        for (int b = 0, j = 0; b < blocks; b++, j += LANES, off += MR * LANES) {
            IntVector r0 = row(src, base + j);
            IntVector r1 = rows > 1 ? row(src, base + rowStride + j) : zero;
            IntVector r2 = rows > 2 ? row(src, base + 2 * rowStride + j) : zero;
            IntVector r3 = rows > 3 ? row(src, base + 3 * rowStride + j) : zero;
            IntVector r4 = rows > 4 ? row(src, base + 4 * rowStride + j) : zero;
            IntVector r5 = rows > 5 ? row(src, base + 5 * rowStride + j) : zero;
            // Steps [0, LANES/2) of all six rows fill output vectors 0-2, steps [LANES/2, LANES) vectors 3-5.
            IntVector a0 = zipLo.selectFrom(r0, r1), b0 = zipLo.selectFrom(r2, r3), c0 = zipLo.selectFrom(r4, r5);
            IntVector a1 = zipHi.selectFrom(r0, r1), b1 = zipHi.selectFrom(r2, r3), c1 = zipHi.selectFrom(r4, r5);
            store(a0, b0, c0, 0, dst, off);
            store(a0, b0, c0, 1, dst, off);
            store(a0, b0, c0, 2, dst, off);
            store(a1, b1, c1, 3, dst, off);
            store(a1, b1, c1, 4, dst, off);
            store(a1, b1, c1, 5, dst, off);
        }
    }

    /** Output vector {@code k} of a six-row block from the zipped pairs {@code a} (rows 0, 1), {@code b}, {@code c}. */
    private static void store(IntVector a, IntVector b, IntVector c, int k, float[] dst, int off) {
        IntVector ab = IntVector.fromArray(INTS, SIX, 2 * k * LANES).selectFrom(a, b);
        IntVector.fromArray(INTS, SIX, (2 * k + 1) * LANES).selectFrom(ab, c).reinterpretAsFloats()
                .intoArray(dst, off + k * LANES);
    }

    private static IntVector row(float[] src, int at) {
        return FloatVector.fromArray(SPECIES, src, at).reinterpretAsInts();
    }

    private static int[] zipTable() {
        int[] t = new int[2 * LANES];
        for (int e = 0; e < LANES; e++) {
            t[e] = (e % 2) * LANES + e / 2;
            t[LANES + e] = (e % 2) * LANES + LANES / 2 + e / 2;
        }
        return t;
    }

    private static int[] sixTable() {
        int[] t = new int[2 * MR * LANES];
        int half = LANES / 2;
        for (int k = 0; k < MR; k++) {
            for (int e = 0; e < LANES; e++) {
                int g = k * LANES + e, j = g / MR, m = g % MR;
                int lane = (j % half) * 2 + m % 2; // where (j, m) sits in its zipped pair
                t[2 * k * LANES + e] = m < 2 ? lane : m < 4 ? LANES + lane : e;
                t[(2 * k + 1) * LANES + e] = m < 4 ? e : LANES + lane;
            }
        }
        return t;
    }
}
