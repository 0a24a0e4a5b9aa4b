package org.conv4j.core.testing;

import java.util.Arrays;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.ReferenceConvolution;
import org.conv4j.core.Tensor;

/**
 * Compares an engine's passes with the double-precision reference on one {@link ConvProblem}
 * within the {@link RoundingBound}, and on failure shrinks the problem and reports both the
 * original and the smallest failing one, each printed so it can be pasted back into a test.
 *
 * <p>Output tensors are pre-filled with NaN, so an engine that accumulates instead of overwriting
 * fails; inputs are checked to be unchanged afterwards.
 */
public final class ConvCheck {
    /** The three passes of a convolution. */
    public enum Pass { FORWARD, BACKWARD_INPUT, BACKWARD_WEIGHT }

    private ConvCheck() {
    }

    /** Null when the engine agrees with the reference on this pass, else what differs. */
    public static String mismatch(ConvEngine engine, ConvProblem p, Pass pass) {
        ConvGeometry g = p.geometry();
        Tensor x = p.input(), w = p.weight(), b = p.bias(), dy = p.gradOutput();
        Tensor x0 = x.copy(), w0 = w.copy(), dy0 = dy.copy();
        double[] xd = NaiveConvEngine.toDouble(x), wd = NaiveConvEngine.toDouble(w), dyd = NaiveConvEngine.toDouble(dy);
        String result;
        try {
            result = switch (pass) {
                case FORWARD -> {
                    Tensor out = nanFilled(g.outputShape());
                    engine.forward(x, w, b, g.spec(), out);
                    double[] exact = ReferenceConvolution.forward(xd, wd, b == null ? null : NaiveConvEngine.toDouble(b), g);
                    double[] abs = ReferenceConvolution.forward(abs(xd), abs(wd), b == null ? null : abs(NaiveConvEngine.toDouble(b)), g);
                    yield RoundingBound.compare("output", out.data(), exact, abs, g.reductionLength() + 1L);
                }
                case BACKWARD_INPUT -> {
                    Tensor dx = nanFilled(g.inputShape());
                    engine.backwardInput(dy, w, g.spec(), dx);
                    double[] exact = ReferenceConvolution.backwardInput(dyd, wd, g);
                    double[] abs = ReferenceConvolution.backwardInput(abs(dyd), abs(wd), g);
                    yield RoundingBound.compare("gradInput", dx.data(), exact, abs, (long) g.kPerGroup() * g.r() * g.s());
                }
                case BACKWARD_WEIGHT -> {
                    Tensor dw = nanFilled(g.weightShape());
                    Tensor db = p.hasBias() ? nanFilled(new int[] {g.k()}) : null;
                    engine.backwardWeight(x, dy, g.spec(), dw, db);
                    long n = (long) g.n() * g.outH() * g.outW();
                    String m = RoundingBound.compare("gradWeight", dw.data(), ReferenceConvolution.backwardWeight(xd, dyd, g),
                            ReferenceConvolution.backwardWeight(abs(xd), abs(dyd), g), n);
                    if (m == null && db != null) {
                        m = RoundingBound.compare("gradBias", db.data(), ReferenceConvolution.backwardBias(dyd, g),
                                ReferenceConvolution.backwardBias(abs(dyd), g), n);
                    }
                    yield m;
                }
            };
        } catch (RuntimeException e) {
            return "threw " + e;
        }
        if (result == null && !(Arrays.equals(x.data(), x0.data()) && Arrays.equals(w.data(), w0.data())
                && Arrays.equals(dy.data(), dy0.data()))) {
            result = "modified one of its input tensors";
        }
        return result;
    }

    /** Asserts that the engine agrees with the reference on every pass of the problem. */
    public static void assertAgrees(ConvEngine engine, ConvProblem p) {
        for (Pass pass : Pass.values()) {
            assertAgrees(engine, p, pass);
        }
    }

    /** Asserts that the engine agrees with the reference on one pass; shrinks the problem on failure. */
    public static void assertAgrees(ConvEngine engine, ConvProblem p, Pass pass) {
        String m = mismatch(engine, p, pass);
        if (m != null) {
            ConvProblem small = Shrinker.shrink(p, q -> mismatch(engine, q, pass) != null);
            throw new AssertionError("engine '" + engine.name() + "' " + pass + " disagrees with the reference: " + m
                    + "\n  problem: " + p
                    + "\n  shrunk:  " + small + "\n           " + mismatch(engine, small, pass));
        }
    }

    static Tensor nanFilled(int[] shape) {
        return Tensor.zeros(shape).fill(Float.NaN);
    }

    static double[] abs(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }
}
