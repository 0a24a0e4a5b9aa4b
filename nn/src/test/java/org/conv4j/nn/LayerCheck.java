package org.conv4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.conv4j.core.Tensor;
import org.conv4j.core.testing.FiniteDifferences;

/**
 * Checks a layer's backward pass against central finite differences of {@code L = sum(r * forward(x))} in
 * double precision, {@code r} a fixed random upstream gradient: the input gradient and every parameter's
 * gradient, at sampled coordinates and along one random direction covering all coordinates.
 *
 * <p>The layers compute in float, so a difference quotient carries the float rounding of L divided by the
 * step: the tolerance is that rounding ({@code 2^-24} times the magnitude {@code sum |r| (|y| + 1)}, times
 * a small factor for the operations on the path) over the step actually taken, plus {@code 1e-3} relative for
 * the truncation error of a central difference with step 1e-2 on smooth functions.
 */
public final class LayerCheck {
    /** The default step: large enough that float rounding stays far below the truncation error. */
    private static final double H = 1e-2;
    private static final int COORDINATES = 10;
    private static final double ROUNDING_FACTOR = 64;
    private static final double RELATIVE = 1e-3;

    private LayerCheck() {
    }

    /** Random values in [-1, 1]. */
    public static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-1, 1);
        }
        return t;
    }

    /** Null when all gradients agree, else a description of the first disagreement. */
    public static String mismatch(Layer layer, Tensor input, long seed) {
        return mismatch(layer, input, seed, H);
    }

    /**
     * With step {@code h}: networks with ReLU after batch norm have many pre-activations near 0, and a
     * smaller step keeps the difference quotient from straddling those kinks.
     */
    public static String mismatch(Layer layer, Tensor input, long seed, double h) {
        Tensor y = layer.forward(input);
        Tensor r = random(seed, y.shape());
        Tensor dx = layer.backward(r);
        float[] gradIn = dx == null ? null : dx.data().clone();
        Map<String, Parameter> params = layer.parameters();
        List<String> names = new ArrayList<>(params.keySet());
        List<float[]> grads = new ArrayList<>();
        for (String n : names) {
            grads.add(params.get(n).grad().data().clone());
        }
        java.util.function.DoubleSupplier loss = () -> {
            Tensor out = layer.forward(input);
            double s = 0;
            float[] o = out.data(), rr = r.data();
            for (int i = 0; i < o.length; i++) {
                s += (double) rr[i] * o[i];
            }
            return s;
        };
        String m = gradIn == null ? null : check("input", input.data(), gradIn, loss, r, layer, input, seed + 1, h);
        for (int p = 0; m == null && p < names.size(); p++) {
            m = check(names.get(p), params.get(names.get(p)).value().data(), grads.get(p), loss, r, layer, input, seed + 2 + p, h);
        }
        return m;
    }

    public static void assertGradients(Layer layer, Tensor input, long seed) {
        assertGradients(layer, input, seed, H);
    }

    public static void assertGradients(Layer layer, Tensor input, long seed, double h) {
        String m = mismatch(layer, input, seed, h);
        if (m != null) {
            throw new AssertionError(layer.describe() + ": backward disagrees with finite differences: " + m);
        }
    }

    private static String check(String what, float[] x, float[] grad, java.util.function.DoubleSupplier loss, Tensor r,
                                Layer layer, Tensor input, long seed, double H) {
        for (int i : FiniteDifferences.sampleCoordinates(x.length, COORDINATES)) {
            float saved = x[i];
            float plus = (float) (saved + H), minus = (float) (saved - H);
            x[i] = plus;
            double lp = loss.getAsDouble();
            double scale = magnitude(layer, input, r);
            x[i] = minus;
            double lm = loss.getAsDouble();
            x[i] = saved;
            double fd = (lp - lm) / ((double) plus - minus);
            double tol = ROUNDING_FACTOR * 0x1p-24 * scale / ((double) plus - minus) + RELATIVE * Math.max(Math.abs(fd), Math.abs(grad[i]));
            if (!(Math.abs(fd - grad[i]) <= tol)) {
                return String.format("%s[%d] = %.7g, finite difference %.7g (error %.3g > %.3g)", what, i, grad[i], fd,
                        Math.abs(fd - grad[i]), tol);
            }
        }
        // a random direction covers every coordinate at once
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] saved = x.clone();
        double[] v = new double[x.length];
        double dot = 0, norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
            dot += v[i] * grad[i];
            norm += Math.abs(v[i] * grad[i]);
        }
        double[] steps = new double[2];
        double[] values = new double[2];
        for (int side = 0; side < 2; side++) {
            double h = side == 0 ? H : -H;
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (saved[i] + h * v[i]);
            }
            values[side] = loss.getAsDouble();
            steps[side] = h;
        }
        System.arraycopy(saved, 0, x, 0, x.length);
        double fd = (values[0] - values[1]) / (steps[0] - steps[1]);
        double scale = magnitude(layer, input, r);
        // float rounding of the perturbed point itself: each coordinate moved by up to 2^-24 |x| off h v
        double pointError = 0;
        for (int i = 0; i < x.length; i++) {
            pointError += Math.abs(grad[i]) * 0x1p-24 * (Math.abs(saved[i]) + H) / (2 * H);
        }
        double tol = ROUNDING_FACTOR * 0x1p-24 * scale / (2 * H) + 2 * pointError + RELATIVE * Math.max(Math.abs(fd), norm);
        if (!(Math.abs(fd - dot) <= tol)) {
            return String.format("%s along a random direction: %.7g, finite difference %.7g (error %.3g > %.3g)", what, dot, fd,
                    Math.abs(fd - dot), tol);
        }
        return null;
    }

    /** {@code sum |r| (|y| + 1)} at the current point: the size of what L's float rounding scales with. */
    private static double magnitude(Layer layer, Tensor input, Tensor r) {
        float[] y = layer.forward(input).data(), rr = r.data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += Math.abs(rr[i]) * (Math.abs(y[i]) + 1);
        }
        return s;
    }
}
