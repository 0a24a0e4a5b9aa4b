package org.conv4j.nn.demos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.conv4j.core.examples.LectureExamples;

/**
 * The lecture's worked examples, run on the selected engine and printed as grids: valid, zero-padded, strided,
 * dilated and multi-channel convolution, a 1x1 convolution that mixes feature maps, and max-pooling with window
 * w and stride k. Each grid is followed by the values the lecture's slides show for it.
 */
public final class PaddingStrideDilation implements Demo {

    /**
     * Three 2x3 feature maps for the 1x1 convolution. The slides show the first column (-8, 9, 7) and the second
     * (5, 6, 10) of the top row, with weights (-1, 2, 3) giving 47 and 37; the other values are filled in here.
     */
    public static final float[] FEATURE_MAPS = {
        -8, 5, 3, 2, 0, 3,
        9, 6, 4, 0, 2, -7,
        7, 10, -9, 1, 0, 2,
    };
    public static final float[] MIXING_WEIGHTS = {-1, 2, 3};

    @Override
    public String name() {
        return "padding-stride-dilation";
    }

    @Override
    public String summary() {
        return "the lecture's worked examples: valid, padded, strided, dilated, multi-channel, 1x1 convolution, max-pool";
    }

    /**
     * One worked example: its input, filter (null for pooling), full output, and which output entries the lecture
     * shows with what values.
     */
    public record Worked(String title, Tensor input, Tensor filter, String how, Tensor output, int[] shownAt,
                         float[] shown) {
        /** The output's values at {@link #shownAt()}, to compare with {@link #shown()}. */
        public float[] computedAtShown() {
            float[] v = new float[shownAt.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = output.data()[shownAt[i]];
            }
            return v;
        }
    }

    /** Every worked example, computed with {@code engine}. */
    public static List<Worked> examples(ConvEngine engine) {
        List<Worked> all = new ArrayList<>();
        Tensor valid = null;
        for (LectureExamples.Example e : LectureExamples.all()) {
            Tensor out = engine.forward(e.input(), e.weight(), null, e.spec());
            if (valid == null) {
                valid = out;
            }
            all.add(new Worked(e.name(), e.input(), e.weight(), describe(e.spec()), out, e.shownAt(), e.shown()));
        }
        Tensor maps = Tensor.of(FEATURE_MAPS, 1, 3, 2, 3);
        Tensor mix = Tensor.of(MIXING_WEIGHTS, 1, 3, 1, 1);
        all.add(new Worked("1x1 convolution mixing 3 feature maps into 1", maps, mix, "weights (-1, 2, 3)",
                engine.forward(maps, mix, null, Conv2dSpec.DEFAULT), new int[] {0, 1}, new float[] {47, 37}));
        // the slides draw the pooling windows without numbers; pool the template response, whose maximum they show
        all.add(pool("max-pool of the template response, w=2, k=1", valid, Pool2dSpec.of(2, 1), new int[0], new float[0]));
        all.add(pool("max-pool of the template response, w=2, k=2", valid, Pool2dSpec.of(2, 2), new int[0], new float[0]));
        all.add(new Worked("global max-pool of the template response", valid, null, "the whole image",
                Pooling.globalMaxForward(valid), new int[] {0}, new float[] {11}));
        return all;
    }

    private static Worked pool(String title, Tensor input, Pool2dSpec spec, int[] shownAt, float[] shown) {
        return new Worked(title, input, null, "window " + spec.kernelH() + "x" + spec.kernelW() + ", stride " + spec.strideH(),
                Pooling.maxForward(input, spec), shownAt, shown);
    }

    static String describe(Conv2dSpec s) {
        List<String> parts = new ArrayList<>();
        if (s.padTop() + s.padBottom() + s.padLeft() + s.padRight() > 0) {
            parts.add("zero padding " + s.padTop() + " rows top and bottom, " + s.padLeft() + " column(s) left and right");
        }
        if (s.strideH() != 1 || s.strideW() != 1) {
            parts.add("stride " + s.strideH());
        }
        if (s.dilationH() != 1 || s.dilationW() != 1) {
            parts.add("dilation " + s.dilationH());
        }
        return parts.isEmpty() ? "no padding, stride 1" : String.join(", ", parts);
    }

    @Override
    public void run(DemoOptions options, PrintStream out) {
        ConvEngine engine = ConvEngines.preferred();
        out.println("The lecture's worked examples on engine '" + engine.name() + "' (cross-correlation, as in CNNs):");
        float[] previous = null;
        for (Worked w : examples(engine)) {
            out.printf(Locale.ROOT, "%n== %s (%s)%n", w.title(), w.how());
            if (Arrays.equals(previous, w.input().data())) {
                out.println("input: the same " + shape(w.input()) + " as above");
            } else {
                out.println("input " + shape(w.input()) + ":");
                out.print(Grids.planes(w.input(), "  "));
            }
            previous = w.input().data();
            if (w.filter() != null) {
                out.println("filter " + shape(w.filter()) + ":");
                out.print(Grids.planes(w.filter(), "  "));
            }
            out.println("output " + shape(w.output()) + ":");
            out.print(Grids.planes(w.output(), "  "));
            if (w.shown().length > 0) {
                out.printf(Locale.ROOT, "the lecture shows %s at flat positions %s: %s%n", Grids.list(w.shown()),
                        Arrays.toString(w.shownAt()),
                        Arrays.equals(w.shown(), w.computedAtShown()) ? "equal" : "DIFFERENT: " + Grids.list(w.computedAtShown()));
            }
        }
    }

    private static String shape(Tensor t) {
        int[] s = t.shape();
        return s[1] + "x" + s[2] + "x" + s[3];
    }
}
