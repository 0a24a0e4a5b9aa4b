package org.conv4j.nn.layer;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 max pooling at stride 2 without padding (LeNet's and most CNNs' pooling) in vectors: one output row
 * takes two input rows, {@code 2 * LANES} columns at a time; the vertical maximum is lane-wise and the
 * horizontal one pairs even with odd lanes by a two-vector shuffle. Rows narrower than that (LeNet's 28 and
 * 10 columns) take one masked iteration, so they are vectorised too.
 *
 * <p>Same results as {@link MaxPoolInside}'s scalar code, bit for bit: the value is {@link Math#max} of the
 * window ({@code FloatVector.max} has its semantics, and it is associative and commutative, so the order of
 * the four taps does not matter); the gradient goes to the first tap in row-major order equal to the output,
 * or the first NaN when the output is NaN.
 */
final class MaxPoolTwoByTwo {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Even / odd lanes of two concatenated vectors (indices past LANES select from the second vector). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(SPECIES, i -> 2 * i + 1);
    /** The inverse: interleave the lanes of two vectors, low and high halves. */
    private static final VectorShuffle<Float> INTERLEAVE_LO = VectorShuffle.fromOp(SPECIES, i -> (i & 1) * LANES + i / 2);
    private static final VectorShuffle<Float> INTERLEAVE_HI =
            VectorShuffle.fromOp(SPECIES, i -> (i & 1) * LANES + LANES / 2 + i / 2);
    private static final FloatVector ZERO = FloatVector.zero(SPECIES);

    private MaxPoolTwoByTwo() {
    }

    /** The masks of a row's last, partial vector of {@code rem = ow % LANES} outputs: made once per call. */
    record Tail(int rem, VectorMask<Float> out, VectorMask<Float> lo, VectorMask<Float> hi) {
        static Tail of(int ow) {
            int rem = ow % LANES;
            return new Tail(rem, SPECIES.indexInRange(0, rem), SPECIES.indexInRange(0, 2 * rem),
                    SPECIES.indexInRange(LANES, 2 * rem));
        }
    }

    /** Plane {@code p}: {@code y[p]} from {@code x[p]} ({@code h x w} in, {@code h/2 x w/2} out). */
    static void forward(float[] x, float[] y, int h, int w, int p, Tail tail) {
        int oh = h / 2, ow = w / 2, full = ow - tail.rem;
        int xo = p * h * w, yo = p * oh * ow;
        for (int i = 0; i < oh; i++) {
            int r0 = xo + 2 * i * w, r1 = r0 + w, out = yo + i * ow;
            int j = 0;
            for (; j < full; j += LANES) {
                FloatVector m0 = FloatVector.fromArray(SPECIES, x, r0 + 2 * j).max(FloatVector.fromArray(SPECIES, x, r1 + 2 * j));
                FloatVector m1 = FloatVector.fromArray(SPECIES, x, r0 + 2 * j + LANES)
                        .max(FloatVector.fromArray(SPECIES, x, r1 + 2 * j + LANES));
                m0.rearrange(EVEN, m1).max(m0.rearrange(ODD, m1)).intoArray(y, out + j);
            }
            if (tail.rem > 0) {
                FloatVector m0 = FloatVector.fromArray(SPECIES, x, r0 + 2 * j, tail.lo)
                        .max(FloatVector.fromArray(SPECIES, x, r1 + 2 * j, tail.lo));
                FloatVector m1 = FloatVector.fromArray(SPECIES, x, r0 + 2 * j + LANES, tail.hi)
                        .max(FloatVector.fromArray(SPECIES, x, r1 + 2 * j + LANES, tail.hi));
                m0.rearrange(EVEN, m1).max(m0.rearrange(ODD, m1)).intoArray(y, out + j, tail.out);
            }
        }
    }

    /** Plane {@code p} of {@code dx}: each output's gradient goes to its window's winner, zeros elsewhere. */
    static void backward(float[] x, float[] y, float[] dy, float[] dx, int h, int w, int p, Tail tail) {
        int oh = h / 2, ow = w / 2, full = ow - tail.rem;
        int xo = p * h * w, yo = p * oh * ow;
        if (h % 2 != 0 || w % 2 != 0) { // a last row or column no window covers
            Arrays.fill(dx, xo, xo + h * w, 0f);
        }
        for (int i = 0; i < oh; i++) {
            int r0 = xo + 2 * i * w, r1 = r0 + w, out = yo + i * ow;
            int j = 0;
            for (; j < full; j += LANES) {
                route(x, y, dy, dx, r0 + 2 * j, r1 + 2 * j, out + j, LANES);
            }
            if (tail.rem > 0) {
                route(x, y, dy, dx, r0 + 2 * j, r1 + 2 * j, out + j, tail.rem);
            }
        }
    }

    /** Both rows of one vector of {@code n} windows (whole, or partial through masks). */
    private static void route(float[] x, float[] y, float[] dy, float[] dx, int top, int bottom, int out, int n) {
        routeTop(x, y, dy, dx, top, out, n);
        routeBottom(x, y, dy, dx, top, bottom, out, n);
    }

    /*
     * Taps 0 and 1 (top row) and taps 2 and 3 (bottom row) are two methods, each small enough for C2 to compile
     * (one method of both was too big: C1 gave up on it for lack of registers, so C2 never compiled it and the
     * Vector API ran in its Java fallback, 100 times slower). They take offsets and a count, not vectors or
     * masks, and make their masks themselves: routeBottom is not inlined into route (NodeCountInliningCutoff),
     * and a mask passed in as a VectorMask has no exact class there, so its masked loads fell back to Java
     * (6 % of a LeNet training step, seen in JFR samples). A tap wins if it equals the output or is NaN (a NaN
     * tap makes the output NaN, so the first NaN is the first match exactly when the output is NaN); all-true
     * masks cost nothing with AVX-512.
     */
    private static void routeTop(float[] x, float[] y, float[] dy, float[] dx, int top, int out, int n) {
        VectorMask<Float> lo = SPECIES.indexInRange(0, 2 * n), hi = SPECIES.indexInRange(LANES, 2 * n);
        VectorMask<Float> outputs = SPECIES.indexInRange(0, n);
        FloatVector a0 = FloatVector.fromArray(SPECIES, x, top, lo), a1 = FloatVector.fromArray(SPECIES, x, top + LANES, hi);
        FloatVector best = FloatVector.fromArray(SPECIES, y, out, outputs), g = FloatVector.fromArray(SPECIES, dy, out, outputs);
        FloatVector x0 = a0.rearrange(EVEN, a1), x1 = a0.rearrange(ODD, a1);
        VectorMask<Float> m0 = x0.eq(best).or(x0.compare(VectorOperators.NE, x0));
        VectorMask<Float> m1 = x1.eq(best).or(x1.compare(VectorOperators.NE, x1)).andNot(m0);
        FloatVector d0 = ZERO.blend(g, m0), d1 = ZERO.blend(g, m1);
        d0.rearrange(INTERLEAVE_LO, d1).intoArray(dx, top, lo);
        d0.rearrange(INTERLEAVE_HI, d1).intoArray(dx, top + LANES, hi);
    }

    private static void routeBottom(float[] x, float[] y, float[] dy, float[] dx, int top, int bottom, int out,
            int n) {
        VectorMask<Float> lo = SPECIES.indexInRange(0, 2 * n), hi = SPECIES.indexInRange(LANES, 2 * n);
        VectorMask<Float> outputs = SPECIES.indexInRange(0, n);
        FloatVector a0 = FloatVector.fromArray(SPECIES, x, top, lo), a1 = FloatVector.fromArray(SPECIES, x, top + LANES, hi);
        FloatVector b0 = FloatVector.fromArray(SPECIES, x, bottom, lo), b1 = FloatVector.fromArray(SPECIES, x, bottom + LANES, hi);
        FloatVector best = FloatVector.fromArray(SPECIES, y, out, outputs), g = FloatVector.fromArray(SPECIES, dy, out, outputs);
        FloatVector x0 = a0.rearrange(EVEN, a1), x1 = a0.rearrange(ODD, a1);
        FloatVector x2 = b0.rearrange(EVEN, b1), x3 = b0.rearrange(ODD, b1);
        VectorMask<Float> taken = x0.eq(best).or(x0.compare(VectorOperators.NE, x0))
                .or(x1.eq(best)).or(x1.compare(VectorOperators.NE, x1));
        VectorMask<Float> m2 = x2.eq(best).or(x2.compare(VectorOperators.NE, x2)).andNot(taken);
        VectorMask<Float> m3 = taken.or(m2).not(); // the last tap when no earlier one matched
        FloatVector d2 = ZERO.blend(g, m2), d3 = ZERO.blend(g, m3);
        d2.rearrange(INTERLEAVE_LO, d3).intoArray(dx, bottom, lo);
        d2.rearrange(INTERLEAVE_HI, d3).intoArray(dx, bottom + LANES, hi);
    }
}
