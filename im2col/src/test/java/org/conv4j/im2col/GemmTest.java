package org.conv4j.im2col;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.conv4j.core.testing.RoundingBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Gemm} against a plain triple loop in double, within the float dot-product rounding bound. */
class GemmTest {

    /** One multiplication: sizes, transposes, scalars, padding of the leading dimensions and offsets. */
    record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int padA, int padB,
                int padC, int offset, long seed) {
        @Override
        public String toString() {
            return String.format("%s%s m=%d n=%d k=%d alpha=%s beta=%s pads=%d/%d/%d off=%d seed=%d",
                    transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, beta, padA, padB, padC, offset, seed);
        }
    }

    static Stream<Case> edgeSizes() {
        int mr = PackedA.MR;
        int[] ms = {1, mr - 1, mr, mr + 1, Gemm.MC - 1, Gemm.MC + 1};
        int[] ns = {1, 17, Gemm.NC - 1, Gemm.NC + 1};
        int[] ks = {1, MicroKernel.K_UNROLL - 1, MicroKernel.K_UNROLL + 1, Gemm.KC, Gemm.KC + 1, 2 * Gemm.KC + 3};
        List<Case> cases = new ArrayList<>();
        long seed = 1;
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    // every edge combination, with the transposes cycling so each meets every size
                    int t = (int) (seed % 4);
                    if ((long) m * n * k <= 4_000_000) {
                        cases.add(new Case((t & 1) != 0, (t & 2) != 0, m, n, k, 1f, 0f, 0, 0, 0, 0, seed));
                    }
                    seed++;
                }
            }
        }
        return cases.stream();
    }

    static Stream<Case> randomCases() {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Case> cases = new ArrayList<>();
        float[] scalars = {1f, 0f, -0.5f, 2f};
        for (int i = 0; i < 60; i++) {
            int m = 1 + rnd.nextInt(rnd.nextBoolean() ? 12 : 300);
            int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 20 : 900);
            int k = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 300);
            cases.add(new Case(rnd.nextBoolean(), rnd.nextBoolean(), m, n, k,
                    rnd.nextInt(4) == 0 ? -1.5f : 1f, scalars[rnd.nextInt(scalars.length)],
                    rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(5), rnd.nextLong()));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("edgeSizes")
    void matchesTheTripleLoopAtBlockEdges(Case c) {
        check(c);
    }

    @ParameterizedTest
    @MethodSource("randomCases")
    void matchesTheTripleLoopOnRandomShapes(Case c) {
        check(c);
    }

    @Test
    void degenerateSizesOnlyScaleC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        Gemm.multiply(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 2f, c, 0, 3);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, c);
        Gemm.multiply(false, false, 0, 3, 4, 1f, new float[0], 0, 4, new float[12], 0, 3, 0f, c, 0, 3);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, c);
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        float[] c = {Float.NaN, Float.NaN};
        Gemm.multiply(false, false, 1, 2, 1, 1f, new float[] {2}, 0, 1, new float[] {3, 4}, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {6, 8}, c);
    }

    @Test
    void parallelMultiplyIsBitIdenticalToSerial() {
        Case c = new Case(false, true, 2 * Gemm.MC + 9, 300, 2 * Gemm.KC + 5, 1f, 0.5f, 1, 0, 2, 3, 7);
        float[][] ops = operands(c);
        float[] serial = ops[2].clone(), parallel = ops[2].clone();
        run(c, ops[0], ops[1], serial, 0);
        run(c, ops[0], ops[1], parallel, 3);
        assertArrayEquals(serial, parallel);
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        assertName("m", () -> Gemm.multiply(false, false, -1, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2));
        assertName("lda", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2));
        assertName("a", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 1, 3, b, 0, 2, 0, c, 0, 2));
        assertName("b", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 0, 3, null, 0, 2, 0, c, 0, 2));
        assertName("ldc", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 1));
        assertName("c", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, new float[3], 0, 2));
        assertName("cOffset", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, -1, 2));
        assertName("threads", () -> Gemm.multiply(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2, 0));
        // transposed A is stored k x m: lda must cover m
        assertName("lda", () -> Gemm.multiply(true, false, 3, 2, 2, 1, a, 0, 2, b, 0, 2, 0, new float[6], 0, 2));
    }

    private static void assertName(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name + ":"), "expected the message to start with '" + name + ":', got "
                + e.getMessage());
    }

    /** Stored operands {A, B, C} for the case, C prefilled (random, so beta matters). */
    private static float[][] operands(Case c) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        int aRows = c.transA() ? c.k() : c.m(), aCols = c.transA() ? c.m() : c.k();
        int bRows = c.transB() ? c.n() : c.k(), bCols = c.transB() ? c.k() : c.n();
        float[] a = random(rnd, c.offset() + aRows * (aCols + c.padA()));
        float[] b = random(rnd, c.offset() + bRows * (bCols + c.padB()));
        float[] cc = random(rnd, c.offset() + c.m() * (c.n() + c.padC()));
        return new float[][] {a, b, cc};
    }

    private static void run(Case c, float[] a, float[] b, float[] cc, int threads) {
        int lda = (c.transA() ? c.m() : c.k()) + c.padA();
        int ldb = (c.transB() ? c.k() : c.n()) + c.padB();
        int ldc = c.n() + c.padC();
        if (threads == 0) {
            Gemm.multiply(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a, c.offset(), lda, b, c.offset(), ldb,
                    c.beta(), cc, c.offset(), ldc);
        } else {
            Gemm.multiply(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a, c.offset(), lda, b, c.offset(), ldb,
                    c.beta(), cc, c.offset(), ldc, threads);
        }
    }

    private static void check(Case c) {
        float[][] ops = operands(c);
        float[] a = ops[0], b = ops[1], before = ops[2], cc = before.clone();
        float[] a0 = a.clone(), b0 = b.clone();
        run(c, a, b, cc, 0);
        assertArrayEquals(a0, a, "A modified");
        assertArrayEquals(b0, b, "B modified");
        int lda = (c.transA() ? c.m() : c.k()) + c.padA();
        int ldb = (c.transB() ? c.k() : c.n()) + c.padB();
        int ldc = c.n() + c.padC();
        boolean[] inside = new boolean[cc.length];
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                double exact = 0, abs = 0;
                for (int p = 0; p < c.k(); p++) {
                    double x = c.transA() ? a[c.offset() + p * lda + i] : a[c.offset() + i * lda + p];
                    double y = c.transB() ? b[c.offset() + j * ldb + p] : b[c.offset() + p * ldb + j];
                    exact += x * y;
                    abs += Math.abs(x * y);
                }
                int idx = c.offset() + i * ldc + j;
                inside[idx] = true;
                exact *= c.alpha();
                abs *= Math.abs(c.alpha());
                if (c.beta() != 0f) {
                    exact += (double) c.beta() * before[idx];
                    abs += Math.abs((double) c.beta() * before[idx]);
                }
                // k products, one alpha scaling folded into A, one beta term: a reduction of length k + 2
                double bound = RoundingBound.of(c.k() + 2L, abs);
                if (!(Math.abs(cc[idx] - exact) <= bound)) {
                    fail(c + ": C[" + i + "," + j + "] = " + cc[idx] + ", expected " + exact + " (error "
                            + Math.abs(cc[idx] - exact) + " > bound " + bound + ")");
                }
            }
        }
        for (int i = 0; i < cc.length; i++) {
            if (!inside[i]) {
                assertEquals(before[i], cc[i], c + ": element " + i + " outside C was written");
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
