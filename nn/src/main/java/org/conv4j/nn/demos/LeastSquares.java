package org.conv4j.nn.demos;

/** Regularised linear least squares in double, for fitting an output layer. */
final class LeastSquares {
    private LeastSquares() {
    }

    /**
     * The {@code v} minimising {@code |A v - y|^2 + lambda |v|^2} with {@code lambda = relativeRidge * mean(diag(A^T A))},
     * from the normal equations by Cholesky: the ridge makes them positive definite and keeps v modest.
     */
    static double[] ridge(double[][] a, double[] y, double relativeRidge) {
        int m = a.length, p = a[0].length;
        double[][] g = new double[p][p];
        double[] b = new double[p];
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < p; i++) {
                b[i] += a[r][i] * y[r];
                for (int j = 0; j <= i; j++) {
                    g[i][j] += a[r][i] * a[r][j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < p; i++) {
            trace += g[i][i];
        }
        double lambda = relativeRidge * trace / p;
        for (int i = 0; i < p; i++) {
            g[i][i] += lambda;
        }
        // Cholesky G = L L^T in the lower triangle, then forward and back substitution
        for (int j = 0; j < p; j++) {
            double d = g[j][j];
            for (int k = 0; k < j; k++) {
                d -= g[j][k] * g[j][k];
            }
            if (!(d > 0)) {
                throw new IllegalStateException("least squares: the regularised normal matrix is not positive definite");
            }
            g[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < p; i++) {
                double s = g[i][j];
                for (int k = 0; k < j; k++) {
                    s -= g[i][k] * g[j][k];
                }
                g[i][j] = s / g[j][j];
            }
        }
        double[] z = new double[p];
        for (int i = 0; i < p; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= g[i][k] * z[k];
            }
            z[i] = s / g[i][i];
        }
        double[] v = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < p; k++) {
                s -= g[k][i] * v[k];
            }
            v[i] = s / g[i][i];
        }
        return v;
    }
}
