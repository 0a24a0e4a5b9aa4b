package org.conv4j.core.testing;

/**
 * The float32 rounding bound used to compare an engine with the double-precision reference:
 * {@code |actual - exact| <= C * (n + 1) * 2^-24 * sum|x·w|}, where n is the length of the
 * reduction behind the element and {@code sum|x·w|} its sum of absolute products, computed in
 * double. This is the classical worst-case bound for a float dot product of length n (Higham,
 * gamma_n = n·u), plus one rounding of the result, with a safety factor {@link #C}; blocked or
 * reordered summation stays inside it, a wrong index or a dropped term does not.
 */
public final class RoundingBound {
    /** Unit round-off of float32. */
    public static final double U = 0x1p-24;
    /** Safety factor over gamma_n. */
    public static final double C = 2.0;

    private RoundingBound() {
    }

    /** The largest allowed |actual - exact| for a reduction of length n with sum of absolute terms absSum. */
    public static double of(long n, double absSum) {
        return C * (n + 1) * U * absSum;
    }

    /**
     * Null when every {@code actual[i]} is within the bound of {@code exact[i]}, otherwise a description
     * of the element that exceeds its bound by the largest factor.
     */
    public static String compare(String what, float[] actual, double[] exact, double[] absSum, long n) {
        if (actual.length != exact.length) {
            return what + ": length " + actual.length + " != expected " + exact.length;
        }
        int worst = -1;
        double worstRatio = 1;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - exact[i]);
            double bound = of(n, absSum[i]);
            if (Double.isNaN(actual[i]) || err > bound) {
                double ratio = bound == 0 || Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / bound;
                if (worst < 0 || ratio > worstRatio) {
                    worst = i;
                    worstRatio = ratio;
                }
            }
        }
        if (worst < 0) {
            return null;
        }
        return String.format("%s[%d] = %s, expected %s (error %.3g > bound %.3g, reduction length %d)", what, worst,
                actual[worst], exact[worst], Math.abs(actual[worst] - exact[worst]), of(n, absSum[worst]), n);
    }
}
