package org.conv4j.core.testing;

import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.ReferenceConvolution;
import org.conv4j.core.Tensor;

/**
 * Checks an engine's backward passes against central finite differences of the double-precision
 * loss {@code L(x, w, b) = sum(gradOutput * conv(x, w) + b)}: for sampled coordinates of the input,
 * weight and bias, and along one random direction of each. L is linear in each argument, so the
 * differences are exact up to double rounding, and the only allowed error is the engine's float
 * {@link RoundingBound}.
 */
public final class GradientCheck {
    private static final int COORDINATES = 12;
    private static final double H = 1e-3;

    private GradientCheck() {
    }

    /** Null when the engine's gradients match finite differences, else what differs. */
    public static String mismatch(ConvEngine engine, ConvProblem p) {
        ConvGeometry g = p.geometry();
        Tensor x = p.input(), w = p.weight(), b = p.bias(), dy = p.gradOutput();
        Tensor dx = Tensor.zeros(g.inputShape()), dw = Tensor.zeros(g.weightShape());
        Tensor db = b == null ? null : Tensor.zeros(g.k());
        engine.backwardInput(dy, w, g.spec(), dx);
        engine.backwardWeight(x, dy, g.spec(), dw, db);

        double[] xd = NaiveConvEngine.toDouble(x), wd = NaiveConvEngine.toDouble(w), dyd = NaiveConvEngine.toDouble(dy);
        double[] bd = b == null ? null : NaiveConvEngine.toDouble(b);
        double[] absDx = ReferenceConvolution.backwardInput(ConvCheck.abs(dyd), ConvCheck.abs(wd), g);
        double[] absDw = ReferenceConvolution.backwardWeight(ConvCheck.abs(xd), ConvCheck.abs(dyd), g);

        String m = check("gradInput", dx.data(), xd, v -> loss(v, wd, bd, dyd, g), absDx,
                (long) g.kPerGroup() * g.r() * g.s(), p.dataSeed());
        if (m == null) {
            m = check("gradWeight", dw.data(), wd, v -> loss(xd, v, bd, dyd, g), absDw,
                    (long) g.n() * g.outH() * g.outW(), p.dataSeed() + 1);
        }
        if (m == null && db != null) {
            double[] absDb = ReferenceConvolution.backwardBias(ConvCheck.abs(dyd), g);
            m = check("gradBias", db.data(), bd, v -> loss(xd, wd, v, dyd, g), absDb,
                    (long) g.n() * g.outH() * g.outW(), p.dataSeed() + 2);
        }
        return m;
    }

    /** Asserts {@link #mismatch} is null, shrinking the problem on failure. */
    public static void assertMatches(ConvEngine engine, ConvProblem p) {
        String m = mismatch(engine, p);
        if (m != null) {
            ConvProblem small = Shrinker.shrink(p, q -> mismatch(engine, q) != null);
            throw new AssertionError("engine '" + engine.name() + "' gradient disagrees with finite differences: " + m
                    + "\n  problem: " + p + "\n  shrunk:  " + small);
        }
    }

    private static double loss(double[] x, double[] w, double[] b, double[] dy, ConvGeometry g) {
        double[] y = ReferenceConvolution.forward(x, w, b, g);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += dy[i] * y[i];
        }
        return sum;
    }

    private static String check(String what, float[] grad, double[] at, java.util.function.ToDoubleFunction<double[]> f,
                                double[] absSum, long n, long seed) {
        double[] point = at.clone();
        for (int i : FiniteDifferences.sampleCoordinates(grad.length, COORDINATES)) {
            double fd = FiniteDifferences.partial(f, point, i, H);
            double tol = RoundingBound.of(n, absSum[i]) + 1e-9 * (1 + absSum[i]);
            if (!(Math.abs(grad[i] - fd) <= tol)) {
                return String.format("%s[%d] = %s, finite difference %.9g (error %.3g > %.3g)", what, i, grad[i], fd,
                        Math.abs(grad[i] - fd), tol);
            }
        }
        // one random direction covers every coordinate at once
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double[] v = new double[grad.length];
        double dot = 0, tol = 1e-9;
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble() * 2 - 1;
            dot += grad[i] * v[i];
            tol += Math.abs(v[i]) * (RoundingBound.of(n, absSum[i]) + 1e-9 * (1 + absSum[i]));
        }
        double fd = FiniteDifferences.directional(f, point, v, H);
        if (!(Math.abs(dot - fd) <= tol)) {
            return String.format("%s along a random direction: %.9g, finite difference %.9g (error %.3g > %.3g)", what,
                    dot, fd, Math.abs(dot - fd), tol);
        }
        return null;
    }
}
