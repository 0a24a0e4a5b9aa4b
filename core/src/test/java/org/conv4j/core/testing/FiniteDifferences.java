package org.conv4j.core.testing;

import java.util.function.ToDoubleFunction;

/** Central finite differences of a scalar function of a double vector, in double precision. */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** {@code (f(x + h e_i) - f(x - h e_i)) / 2h}; {@code x} is restored afterwards. */
    public static double partial(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
        double saved = x[i];
        x[i] = saved + h;
        double plus = f.applyAsDouble(x);
        x[i] = saved - h;
        double minus = f.applyAsDouble(x);
        x[i] = saved;
        return (plus - minus) / (2 * h);
    }

    /** The derivative along direction {@code v}: {@code (f(x + h v) - f(x - h v)) / 2h}. */
    public static double directional(ToDoubleFunction<double[]> f, double[] x, double[] v, double h) {
        double[] p = x.clone(), m = x.clone();
        for (int i = 0; i < x.length; i++) {
            p[i] += h * v[i];
            m[i] -= h * v[i];
        }
        return (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * h);
    }

    /** Up to {@code max} coordinates of a vector of length n, spread evenly and including the first and last. */
    public static int[] sampleCoordinates(int n, int max) {
        int m = Math.min(n, max);
        int[] idx = new int[m];
        for (int j = 0; j < m; j++) {
            idx[j] = m == 1 ? 0 : (int) Math.round((double) j * (n - 1) / (m - 1));
        }
        return idx;
    }
}
