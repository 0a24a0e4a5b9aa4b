package org.conv4j.im2col;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The lowering against its definition, on arbitrary pixel ranges, and col2im as its exact adjoint. */
class Im2colTest {

    static Stream<ConvProblem> problems() {
        return ConvProblemGenerator.problems(0x10e7L, 60, ConvProblemGenerator.Limits.SMALL);
    }

    @ParameterizedTest
    @MethodSource("problems")
    void lowersEveryTapOfAPixelRangeAndCol2imIsItsAdjoint(ConvProblem problem) {
        ConvGeometry g = problem.geometry();
        Conv2dSpec sp = g.spec();
        int pixels = g.outH() * g.outW(), cg = g.cPerGroup(), plane = g.h() * g.w();
        SplittableRandom rnd = new SplittableRandom(problem.dataSeed());
        int p0 = rnd.nextInt(pixels), p1 = p0 + 1 + rnd.nextInt(pixels - p0);
        int len = p1 - p0, ld = len + rnd.nextInt(3), rows = g.reductionLength();
        float[] in = problem.input().data();
        int group = rnd.nextInt(g.groups()), inOff = (g.n() - 1) * g.c() * plane + group * cg * plane;
        float[] col = new float[rows * ld];
        java.util.Arrays.fill(col, Float.NaN);
        Im2col.lower(in, inOff, cg, g, p0, p1, col, ld);
        for (int c = 0; c < cg; c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = (c * g.r() + r) * g.s() + s;
                    for (int p = p0; p < p1; p++) {
                        int ih = p / g.outW() * sp.strideH() - sp.padTop() + r * sp.dilationH();
                        int iw = p % g.outW() * sp.strideW() - sp.padLeft() + s * sp.dilationW();
                        float expected = ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w() ? 0f
                                : in[inOff + c * plane + ih * g.w() + iw];
                        assertEquals(expected, col[row * ld + p - p0], problem + " row " + row + " pixel " + p);
                    }
                }
            }
        }
        // <col2im(y), x> == <y, im2col(x)> for a random y: the scatter is the exact adjoint of the gather
        float[] y = new float[rows * ld];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rnd.nextDouble();
        }
        float[] back = new float[in.length];
        Col2im.accumulate(y, ld, g, p0, p1, back, inOff, cg);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < in.length; i++) {
            lhs += (double) back[i] * in[i];
        }
        for (int row = 0; row < rows; row++) {
            for (int t = 0; t < len; t++) {
                rhs += (double) y[row * ld + t] * col[row * ld + t];
            }
        }
        assertEquals(rhs, lhs, 1e-9 * (1 + Math.abs(rhs)) + 1e-5 * rows * len * 1e-3, problem.toString());
    }
}
