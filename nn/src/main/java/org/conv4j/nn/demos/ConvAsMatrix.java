package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.conv4j.core.examples.LectureExamples;

/**
 * Convolution is linear, so it is a matrix: this builds the matrix W of a convolution of one image explicitly
 * (one row per output value, one column per input value), shows that W·x is the engine's convolution and
 * W^T·g its input gradient (a transposed convolution), and counts W's free parameters against its size.
 */
public final class ConvAsMatrix implements Demo {

    @Override
    public String name() {
        return "conv-as-matrix";
    }

    @Override
    public String summary() {
        return "the matrix W of a convolution, W·x equal to the engine's convolution, its free parameters against its size";
    }

    /**
     * The matrix of a convolution of one image.
     *
     * @param geometry the convolution (its batch size is ignored: the matrix maps one image)
     * @param values   {@code rows x cols} entries, row-major: output {@code (k, oh, ow)} by input {@code (c, ih, iw)}
     * @param used     which entries hold a weight (the rest are structural zeros)
     */
    public record Matrix(ConvGeometry geometry, int rows, int cols, double[] values, boolean[] used) {

        /** The convolution's matrix for these weights {@code [K, C/groups, R, S]}. */
        public static Matrix of(ConvGeometry g, Tensor weight) {
            ConvGeometry.expectShape("weight", weight, g.weightShape());
            Conv2dSpec sp = g.spec();
            int rows = g.k() * g.outH() * g.outW(), cols = g.c() * g.h() * g.w();
            double[] v = new double[rows * cols];
            boolean[] used = new boolean[rows * cols];
            float[] w = weight.data();
            int cg = g.cPerGroup(), kg = g.kPerGroup();
            for (int k = 0; k < g.k(); k++) {
                int c0 = (k / kg) * cg;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int row = (k * g.outH() + oh) * g.outW() + ow;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int r = 0; r < g.r(); r++) {
                                int ih = oh * sp.strideH() - sp.padTop() + r * sp.dilationH();
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = ow * sp.strideW() - sp.padLeft() + s * sp.dilationW();
                                    if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) {
                                        continue; // the weight meets zero padding: no column
                                    }
                                    int at = row * cols + ((c0 + ci) * g.h() + ih) * g.w() + iw;
                                    v[at] += w[((k * cg + ci) * g.r() + r) * g.s() + s];
                                    used[at] = true;
                                }
                            }
                        }
                    }
                }
            }
            return new Matrix(g, rows, cols, v, used);
        }

        /** W·x for each image of {@code input [N, C, H, W]}, in double: {@code [N, K, outH, outW]} values. */
        public double[] times(Tensor input) {
            return apply(input.data(), input.dim(0), false);
        }

        /** W^T·g for each image of {@code gradOutput [N, K, outH, outW]}, in double: {@code [N, C, H, W]} values. */
        public double[] transposeTimes(Tensor gradOutput) {
            return apply(gradOutput.data(), gradOutput.dim(0), true);
        }

        private double[] apply(float[] x, int n, boolean transpose) {
            int in = transpose ? rows : cols, out = transpose ? cols : rows;
            double[] y = new double[n * out];
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        double a = values[i * cols + j];
                        if (transpose) {
                            y[b * out + j] += a * x[b * in + i];
                        } else {
                            y[b * out + i] += a * x[b * in + j];
                        }
                    }
                }
            }
            return y;
        }

        /** Entries that hold a weight (the rest are zero whatever the weights). */
        public long usedEntries() {
            long n = 0;
            for (boolean u : used) {
                n += u ? 1 : 0;
            }
            return n;
        }

        /** The weights the matrix is made of: {@code K * C/groups * R * S}. */
        public long freeParameters() {
            return (long) geometry.k() * geometry.cPerGroup() * geometry.r() * geometry.s();
        }

        /** The entries as floats, for pictures. */
        float[] floats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return f;
        }
    }

    /** One convolution shown as a matrix: W, x, W·x and the engine's output for the same x. */
    public record Case(String title, Matrix matrix, Tensor input, double[] product, Tensor engineOutput) {
        /** The largest |W·x - engine| over the output. */
        public double maxDifference() {
            double d = 0;
            for (int i = 0; i < product.length; i++) {
                d = Math.max(d, Math.abs(product[i] - engineOutput.data()[i]));
            }
            return d;
        }
    }

    /** The lecture's 1-D example, its RGB example, and a two-filter padded, strided convolution. */
    public static List<Case> cases(ConvEngine engine) {
        List<Case> cases = new ArrayList<>();
        cases.add(of("1-D: image [1, 2, -2, 0, 3], filter [1, 2, 3]", engine,
                Tensor.of(new float[] {1, 2, -2, 0, 3}, 1, 1, 1, 5), Tensor.of(new float[] {1, 2, 3}, 1, 1, 1, 3),
                Conv2dSpec.DEFAULT));
        cases.add(of("2-D, 3 channels: the lecture's 4x4 RGB image, one 3x2x2 filter", engine,
                Tensor.of(LectureExamples.RGB_IMAGE, 1, 3, 4, 4), Tensor.of(LectureExamples.RGB_FILTER, 1, 3, 2, 2),
                Conv2dSpec.DEFAULT));
        Tensor x = Tensor.zeros(1, 3, 5, 5), w = Tensor.zeros(2, 3, 3, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (i * 7 % 11) - 5; // small integers: every sum is exact in float
        }
        for (int i = 0; i < w.size(); i++) {
            w.data()[i] = (i * 5 % 7) - 3;
        }
        cases.add(of("2-D, 3 channels in, 2 filters 3x3, zero padding 1, stride 2", engine, x, w, Conv2dSpec.of(2, 1)));
        return cases;
    }

    static Case of(String title, ConvEngine engine, Tensor input, Tensor weight, Conv2dSpec spec) {
        Matrix m = Matrix.of(ConvGeometry.of(input.shape(), weight.shape(), spec), weight);
        return new Case(title, m, input, m.times(input), engine.forward(input, weight, null, spec));
    }

    @Override
    public void run(DemoOptions options, PrintStream out) throws IOException {
        ConvEngine engine = ConvEngines.preferred();
        List<Case> cases = cases(engine);
        List<TileSheet.Section> sections = new ArrayList<>();
        for (Case c : cases) {
            Matrix m = c.matrix();
            out.printf(Locale.ROOT, "== %s%n", c.title());
            out.printf(Locale.ROOT, "W is %d x %d (one row per output value, one column per input value)%n", m.rows(), m.cols());
            if (m.cols() <= 48) {
                out.print(Grids.of(m.floats(), 0, m.rows(), m.cols(), "  ", true));
            }
            out.println("W·x:                " + format(c.product()));
            out.println("engine '" + engine.name() + "' conv: " + Grids.list(c.engineOutput().data()));
            out.printf(Locale.ROOT, "largest difference: %.3g%n", c.maxDifference());
            out.printf(Locale.ROOT, "free parameters: %d weights, in %,d entries of W (%,d of them hold a weight, %,d are"
                    + " always 0)%n%n", m.freeParameters(), (long) m.rows() * m.cols(), m.usedEntries(),
                    (long) m.rows() * m.cols() - m.usedEntries());
            sections.add(new TileSheet.Section(c.title() + ": W, " + m.rows() + " x " + m.cols(),
                    List.of(new TileSheet.Tile(m.freeParameters() + " free parameters", m.floats(), 0, m.rows(), m.cols(), true)),
                    1, Math.max(4, Math.min(24, 720 / m.cols()))));
        }
        out.println("W repeats the same few weights along its diagonals: a convolution is a fully-connected layer");
        out.println("whose weight matrix is constrained to share weights and to be zero away from each receptive field.");
        Path png = options.picture("conv-as-matrix.png");
        Pictures.write(png, TileSheet.render(sections));
        out.println("picture of each W (red positive, blue negative, white zero): " + png);
    }

    private static String format(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Grids.list(f);
    }
}
