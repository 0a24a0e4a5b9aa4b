package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.layer.Linear;
import org.conv4j.nn.layer.Sigmoid;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The universal approximation theorem in one dimension: networks {@code x -> Linear(1, H) -> sigmoid ->
 * Linear(H, 1)} fitted to a continuous function on a closed interval, whose largest error over a fine grid falls
 * below epsilon as hidden units are added; and the proof idea, a sum of "bars" each made of two steep sigmoids.
 *
 * <p>The fit: hidden unit i is a sigmoid step centred at the i-th of H evenly spaced points of the interval, about
 * as wide as their spacing; the output layer is then the least-squares solution, which is a convex problem (the
 * network is linear in its output weights). Every network is evaluated as a conv4j {@link Sequential} in float.
 */
public final class UniversalApproximation implements Demo {
    /** The default epsilon: the fitted network's largest error must fall below it. */
    public static final double EPSILON = 0.01;
    /** Hidden-layer sizes tried, doubling. */
    public static final int[] HIDDEN = {2, 4, 8, 16, 32, 64, 128};
    /** Bars tried in the proof construction (each is two hidden units). */
    public static final int[] BARS = {4, 8, 16, 32, 64, 128, 256};
    static final int CHART_WIDTH = 640;
    static final int CHART_HEIGHT = 440;
    /** Points of the grid the largest error is taken over. */
    public static final int GRID = 4001;
    /** Slope of a fitted unit times the centres' spacing: about one spacing from 12% to 88%. */
    static final double FIT_SHARPNESS = 4;
    /** Slope of a bar's edge times the bar's width: the edge rises from 1e-4 to 1 - 1e-4 within a fifth of the width. */
    static final double BAR_SHARPNESS = 100;
    /** Least-squares fit points per hidden unit (and at least {@link #MIN_FIT_POINTS}). */
    static final int FIT_POINTS_PER_UNIT = 8;
    static final int MIN_FIT_POINTS = 200;
    /** Tikhonov regularisation relative to the Gram matrix's mean diagonal: keeps the output weights modest. */
    static final double RIDGE = 1e-10;

    /** A continuous function on a closed interval. */
    public enum Target {
        SIN("sin(x) on [-pi, pi]", -Math.PI, Math.PI, Math::sin),
        BUMP("exp(-4x^2) on [-2, 2]", -2, 2, x -> Math.exp(-4 * x * x)),
        ABS("|x| on [-1, 1]", -1, 1, Math::abs);

        final String label;
        final double lo;
        final double hi;
        final DoubleUnaryOperator f;

        Target(String label, double lo, double hi, DoubleUnaryOperator f) {
            this.label = label;
            this.lo = lo;
            this.hi = hi;
            this.f = f;
        }

        double at(double x) {
            return f.applyAsDouble(x);
        }

        /** {@code n} evenly spaced points from lo to hi, both included. */
        double[] grid(int n) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = lo + (hi - lo) * i / (n - 1);
            }
            return x;
        }
    }

    @Override
    public String name() {
        return "universal-approximation";
    }

    @Override
    public String summary() {
        return "one hidden layer of sigmoids fitted to sin, a bump and |x|: max error below epsilon as units are added; sums of bars";
    }

    /** The network {@code Linear(1, H) -> Sigmoid -> Linear(H, 1)} with the given weights. */
    public static Sequential network(double[] slope, double[] offset, double[] out, double outBias) {
        int h = slope.length;
        Linear hidden = new Linear(1, h), output = new Linear(h, 1);
        for (int i = 0; i < h; i++) {
            hidden.weight().value().data()[i] = (float) slope[i];
            hidden.bias().value().data()[i] = (float) offset[i];
            output.weight().value().data()[i] = (float) out[i];
        }
        output.bias().value().data()[0] = (float) outBias;
        return new Sequential().add("hidden", hidden).add("sigmoid", new Sigmoid()).add("out", output);
    }

    /** The network's outputs at {@code x}. */
    public static float[] evaluate(Sequential net, double[] x) {
        Tensor in = Tensor.zeros(x.length, 1);
        for (int i = 0; i < x.length; i++) {
            in.data()[i] = (float) x[i];
        }
        return net.forward(in).data().clone();
    }

    /** The largest |f - net| over the {@link #GRID}-point grid of the target's interval. */
    public static double maxError(Sequential net, Target t) {
        double[] x = t.grid(GRID);
        float[] y = evaluate(net, x);
        double e = 0;
        for (int i = 0; i < x.length; i++) {
            e = Math.max(e, Math.abs(y[i] - t.at(x[i])));
        }
        return e;
    }

    /** H sigmoid units spread over the interval, output layer by least squares. */
    public static Sequential fit(Target t, int hidden) {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden: expected >= 1, got " + hidden);
        }
        double spacing = (t.hi - t.lo) / hidden;
        double[] slope = new double[hidden], offset = new double[hidden];
        for (int i = 0; i < hidden; i++) {
            double centre = t.lo + (i + 0.5) * spacing;
            slope[i] = FIT_SHARPNESS / spacing;
            offset[i] = -slope[i] * centre;
        }
        double[] x = t.grid(Math.max(MIN_FIT_POINTS, FIT_POINTS_PER_UNIT * hidden));
        int m = x.length, p = hidden + 1; // the output bias is the last column, a constant 1
        double[][] a = new double[m][p];
        double[] y = new double[m];
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < hidden; i++) {
                a[r][i] = 1 / (1 + Math.exp(-(slope[i] * x[r] + offset[i])));
            }
            a[r][hidden] = 1;
            y[r] = t.at(x[r]);
        }
        double[] v = LeastSquares.ridge(a, y, RIDGE);
        return network(slope, offset, java.util.Arrays.copyOf(v, hidden), v[hidden]);
    }

    /**
     * The proof's construction with {@code bars} bars: bar i is {@code sigmoid(k(x - l_i)) - sigmoid(k(x - r_i))},
     * nearly 1 on [l_i, r_i] and nearly 0 elsewhere, weighted by f at its midpoint; the outer bars reach one width
     * past the interval so its ends are not left on a half-risen edge. 2 x bars hidden units.
     */
    public static Sequential bars(Target t, int bars) {
        if (bars < 1) {
            throw new IllegalArgumentException("bars: expected >= 1, got " + bars);
        }
        double width = (t.hi - t.lo) / bars, k = BAR_SHARPNESS / width;
        double[] slope = new double[2 * bars], offset = new double[2 * bars], out = new double[2 * bars];
        for (int i = 0; i < bars; i++) {
            double left = t.lo + i * width, right = left + width, height = t.at(left + width / 2);
            if (i == 0) {
                left -= width;
            }
            if (i == bars - 1) {
                right += width;
            }
            slope[2 * i] = k;
            offset[2 * i] = -k * left;
            out[2 * i] = height;
            slope[2 * i + 1] = k;
            offset[2 * i + 1] = -k * right;
            out[2 * i + 1] = -height;
        }
        return network(slope, offset, out, 0);
    }

    /** The largest errors of the fitted networks ({@link #HIDDEN}) and of the bar sums ({@link #BARS}). */
    public record Errors(Target target, double[] fitted, double[] bars) {
        /** The fewest hidden units whose fitted network's error is below {@code epsilon}, or -1. */
        public int unitsBelow(double epsilon) {
            for (int i = 0; i < HIDDEN.length; i++) {
                if (fitted[i] < epsilon) {
                    return HIDDEN[i];
                }
            }
            return -1;
        }
    }

    public static Errors errors(Target t) {
        double[] fitted = new double[HIDDEN.length], bars = new double[BARS.length];
        for (int i = 0; i < HIDDEN.length; i++) {
            fitted[i] = maxError(fit(t, HIDDEN[i]), t);
        }
        for (int i = 0; i < BARS.length; i++) {
            bars[i] = maxError(bars(t, BARS[i]), t);
        }
        return new Errors(t, fitted, bars);
    }

    @Override
    public void run(DemoOptions options, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "Largest |f(x) - network(x)| over %,d points; epsilon = %s.%n", GRID, EPSILON);
        out.println("fitted: H sigmoid units spread over the interval, output weights by least squares;");
        out.println("bars:   the proof's construction, a sum of bars each made of two steep sigmoids (2 units a bar).");
        List<XYChart> charts = new ArrayList<>();
        XYChart errorChart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
                .title("largest error against hidden units").xAxisTitle("hidden units").yAxisTitle("max |f - fit|").build();
        errorChart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideSW);
        for (Target t : Target.values()) {
            Errors e = errors(t);
            out.printf(Locale.ROOT, "%n== %s%n", t.label);
            StringBuilder units = new StringBuilder(String.format(Locale.ROOT, "  %-14s", "hidden units"));
            StringBuilder fitted = new StringBuilder(String.format(Locale.ROOT, "  %-14s", "fitted error"));
            for (int i = 0; i < HIDDEN.length; i++) {
                units.append(String.format(Locale.ROOT, "%10d", HIDDEN[i]));
                fitted.append(String.format(Locale.ROOT, "%10.2e", e.fitted()[i]));
            }
            out.println(units);
            out.println(fitted);
            StringBuilder barUnits = new StringBuilder(String.format(Locale.ROOT, "  %-14s", "bars (units)"));
            StringBuilder barErr = new StringBuilder(String.format(Locale.ROOT, "  %-14s", "bars error"));
            for (int i = 0; i < BARS.length; i++) {
                barUnits.append(String.format(Locale.ROOT, "%10s", BARS[i] + " (" + 2 * BARS[i] + ")"));
                barErr.append(String.format(Locale.ROOT, "%10.2e", e.bars()[i]));
            }
            out.println(barUnits);
            out.println(barErr);
            int enough = e.unitsBelow(EPSILON);
            out.println(enough > 0 ? "  below epsilon from " + enough + " fitted hidden units on"
                    : "  not below epsilon with " + HIDDEN[HIDDEN.length - 1] + " fitted units");
            errorChart.addSeries("fitted, " + t.name().toLowerCase(Locale.ROOT), toDoubles(HIDDEN), e.fitted());
            double[] barUnitsX = new double[BARS.length];
            for (int i = 0; i < BARS.length; i++) {
                barUnitsX[i] = 2 * BARS[i];
            }
            errorChart.addSeries("bars, " + t.name().toLowerCase(Locale.ROOT), barUnitsX, e.bars())
                    .setMarker(SeriesMarkers.NONE);
            charts.add(fitChart(t));
        }
        double[] eps = {EPSILON, EPSILON};
        errorChart.addSeries("epsilon", new double[] {HIDDEN[0], 2 * BARS[BARS.length - 1]}, eps).setMarker(SeriesMarkers.NONE);
        charts.add(errorChart);
        Path png = options.picture("universal-approximation.png");
        Pictures.charts(png, charts, 2);
        out.println();
        out.println("plots of each f with fits of 4 and 32 units and an 8-bar sum, and of the errors: " + png);
    }

    private static XYChart fitChart(Target t) {
        XYChart c = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(t.label).xAxisTitle("x")
                .yAxisTitle("y").build();
        c.getStyler().setXAxisDecimalPattern("0.##");
        c.getStyler().setMarkerSize(0).setLegendPosition(Styler.LegendPosition.OutsideS);
        double[] x = t.grid(801);
        double[] f = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = t.at(x[i]);
        }
        c.addSeries("f", x, f).setLineColor(java.awt.Color.BLACK).setLineWidth(3);
        c.addSeries("fit, 4 units", x, toDoubles(evaluate(fit(t, 4), x)));
        c.addSeries("fit, 32 units", x, toDoubles(evaluate(fit(t, 32), x))).setLineStyle(SeriesLines.DASH_DASH);
        c.addSeries("8 bars (16 units)", x, toDoubles(evaluate(bars(t, 8), x)));
        return c;
    }

    private static double[] toDoubles(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
