package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.conv4j.nn.cli.CommandRun;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.ConvProblem;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.conv4j.core.testing.RoundingBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConvAsMatrixTest {

    @Test
    void theLectures1dExampleIsA3x5MatrixWith3FreeParameters() {
        ConvAsMatrix.Case c = ConvAsMatrix.cases(ConvEngines.preferred()).get(0);
        ConvAsMatrix.Matrix m = c.matrix();
        assertEquals(3, m.rows());
        assertEquals(5, m.cols());
        assertArrayEquals(new double[] {
            1, 2, 3, 0, 0,
            0, 1, 2, 3, 0,
            0, 0, 1, 2, 3}, m.values());
        assertArrayEquals(new double[] {-1, -2, 7}, c.product());
        assertArrayEquals(new float[] {-1, -2, 7}, c.engineOutput().data());
        assertEquals(3, m.freeParameters());
        assertEquals(9, m.usedEntries());
    }

    @Test
    void theRgbExampleIsA9x48MatrixWith12FreeParameters() {
        ConvAsMatrix.Case c = ConvAsMatrix.cases(ConvEngines.preferred()).get(1);
        assertEquals(9, c.matrix().rows());
        assertEquals(48, c.matrix().cols());
        assertEquals(12, c.matrix().freeParameters());
        assertEquals(9 * 12, c.matrix().usedEntries(), "no padding: every output row holds all 12 weights");
        assertEquals(49, c.product()[0]);
        assertEquals(0, c.maxDifference());
    }

    @Test
    void paddingLeavesWeightsOutOfTheRowsAtTheBorder() {
        ConvAsMatrix.Case c = ConvAsMatrix.cases(ConvEngines.preferred()).get(2);
        ConvAsMatrix.Matrix m = c.matrix();
        assertEquals(2 * 3 * 3, m.rows());
        assertEquals(3 * 5 * 5, m.cols());
        assertEquals(54, m.freeParameters());
        assertTrue(m.usedEntries() < (long) m.rows() * 27, "rows at the border meet zero padding");
        assertEquals(0, c.maxDifference(), "small integers: exact in float");
    }

    static Stream<Object[]> problemsOnEveryEngine() {
        List<ConvProblem> problems = ConvProblemGenerator.problems(20260311L, 40, ConvProblemGenerator.Limits.SMALL).toList();
        return ConvEngines.available().stream().flatMap(e -> problems.stream().map(p -> new Object[] {e, p}));
    }

    /** W·x is the engine's forward pass and W^T·g its input gradient, for every spec parameter. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("problemsOnEveryEngine")
    void theMatrixTimesTheInputIsTheConvolution(ConvEngine engine, ConvProblem p) {
        ConvGeometry g = p.geometry();
        Tensor x = p.input(), w = p.weight(), gy = p.gradOutput();
        ConvAsMatrix.Matrix m = ConvAsMatrix.Matrix.of(g, w);
        ConvAsMatrix.Matrix abs = ConvAsMatrix.Matrix.of(g, absolute(w));
        assertEquals(p.k() * p.c() / p.spec().groups() * p.r() * p.s(), m.freeParameters());
        assertEquals((long) p.k() * g.outH() * g.outW(), m.rows());
        assertEquals((long) p.c() * p.h() * p.w(), m.cols());

        Tensor y = engine.forward(x, w, null, p.spec());
        long n = (long) g.cPerGroup() * p.r() * p.s();
        assertNull(RoundingBound.compare("W·x vs " + engine.name() + " forward of " + p, y.data(), m.times(x),
                abs.times(absolute(x)), n));

        Tensor gx = engine.backwardInput(gy, w, p.spec(), x.shape());
        long nt = (long) g.kPerGroup() * p.r() * p.s();
        assertNull(RoundingBound.compare("W^T·g vs " + engine.name() + " backwardInput of " + p, gx.data(),
                m.transposeTimes(gy), abs.transposeTimes(absolute(gy)), nt));
    }

    @Test
    void aWrongIndexIsCaught() {
        // the check above must be able to fail: a matrix with one weight moved no longer matches
        ConvProblem p = new ConvProblem(1, 2, 5, 5, 2, 3, 3, Conv2dSpec.DEFAULT, false, 5);
        ConvAsMatrix.Matrix m = ConvAsMatrix.Matrix.of(p.geometry(), p.weight());
        double[] v = m.values();
        int first = -1;
        for (int i = 0; i < v.length && first < 0; i++) {
            first = m.used()[i] ? i : -1;
        }
        v[first + 1] += v[first];
        v[first] = 0;
        Tensor y = ConvEngines.preferred().forward(p.input(), p.weight(), null, p.spec());
        ConvAsMatrix.Matrix abs = ConvAsMatrix.Matrix.of(p.geometry(), absolute(p.weight()));
        assertTrue(RoundingBound.compare("moved", y.data(), m.times(p.input()), abs.times(absolute(p.input())), 18) != null);
    }

    private static Tensor absolute(Tensor t) {
        Tensor a = t.copy();
        float[] d = a.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(d[i]);
        }
        return a;
    }

    @Test
    void theDemoShowsWTimesXAndDrawsW(@TempDir Path dir) throws Exception {
        CommandRun.Result r = CommandRun.demo("conv-as-matrix", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("  1 2 3 . .\n  . 1 2 3 .\n  . . 1 2 3\n"), r::toString);
        assertTrue(r.out().contains("W·x:                [-1, -2, 7]"), r::toString);
        assertTrue(r.out().contains("free parameters: 3 weights, in 15 entries of W"), r::toString);
        assertTrue(javax.imageio.ImageIO.read(dir.resolve("conv-as-matrix.png").toFile()).getWidth() > 100);
    }
}
