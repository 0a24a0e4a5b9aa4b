package org.conv4j.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;

/**
 * One convolution problem: shapes, spec, whether it has a bias, and the seed of its data. The
 * tensors are regenerated from {@code dataSeed} on each call, uniform in [-1, 1), so a problem
 * printed in a failure message can be rebuilt exactly.
 */
public record ConvProblem(int n, int c, int h, int w, int k, int r, int s, Conv2dSpec spec, boolean hasBias,
                          long dataSeed) {

    public ConvProblem {
        ConvGeometry.of(new int[] {n, c, h, w}, new int[] {k, c / spec.groups(), r, s}, spec); // validates
    }

    public ConvGeometry geometry() {
        return ConvGeometry.of(new int[] {n, c, h, w}, new int[] {k, c / spec.groups(), r, s}, spec);
    }

    public Tensor input() {
        return random(geometry().inputShape(), 1);
    }

    public Tensor weight() {
        return random(geometry().weightShape(), 2);
    }

    /** The bias, or null when the problem has none. */
    public Tensor bias() {
        return hasBias ? random(new int[] {k}, 3) : null;
    }

    /** A gradient arriving at the output, for the backward passes. */
    public Tensor gradOutput() {
        return random(geometry().outputShape(), 4);
    }

    private Tensor random(int[] shape, int stream) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom rnd = new SplittableRandom(dataSeed * 31 + stream);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return t;
    }

    /** Valid problems one step simpler than this one, most aggressive first, for shrinking. */
    public List<ConvProblem> simpler() {
        List<ConvProblem> out = new ArrayList<>();
        int g = spec.groups();
        Conv2dSpec.Builder b = spec.toBuilder();
        tryAdd(out, 1, c, h, w, k, r, s, spec, hasBias, n > 1);
        tryAdd(out, n, c, h, w, k, r, s, spec, false, hasBias);
        tryAdd(out, n, g, h, w, k, r, s, spec, hasBias, c > g);
        tryAdd(out, n, c - g, h, w, k, r, s, spec, hasBias, c > g);
        tryAdd(out, n, c, h, w, g, r, s, spec, hasBias, k > g);
        tryAdd(out, n, c, h, w, k - g, r, s, spec, hasBias, k > g);
        tryAdd(out, n, c / g, h, w, k / g, r, s, spec.withGroups(1), hasBias, g > 1);
        tryAdd(out, n, c, h, w, k, r, s, Conv2dSpec.DEFAULT.withGroups(g), hasBias, !spec.equals(Conv2dSpec.DEFAULT.withGroups(g)));
        tryAdd(out, n, c, h, w, k, r, s, b.stride(1, 1).build(), hasBias, spec.strideH() > 1 || spec.strideW() > 1);
        b = spec.toBuilder();
        tryAdd(out, n, c, h, w, k, r, s, b.dilation(1, 1).build(), hasBias, spec.dilationH() > 1 || spec.dilationW() > 1);
        b = spec.toBuilder();
        tryAdd(out, n, c, h, w, k, r, s, b.pad(0, 0, 0, 0).build(), hasBias,
                spec.padTop() + spec.padBottom() + spec.padLeft() + spec.padRight() > 0);
        tryAdd(out, n, c, h - 1, w, k, r, s, spec, hasBias, h > 1);
        tryAdd(out, n, c, h, w - 1, k, r, s, spec, hasBias, w > 1);
        tryAdd(out, n, c, h, w, k, r - 1, s, spec, hasBias, r > 1);
        tryAdd(out, n, c, h, w, k, r, s - 1, spec, hasBias, s > 1);
        return out;
    }

    private void tryAdd(List<ConvProblem> out, int n2, int c2, int h2, int w2, int k2, int r2, int s2, Conv2dSpec sp,
                        boolean bias2, boolean when) {
        if (!when) {
            return;
        }
        try {
            out.add(new ConvProblem(n2, c2, h2, w2, k2, r2, s2, sp, bias2, dataSeed));
        } catch (IllegalArgumentException invalid) {
            // not a valid problem: not a candidate
        }
    }

    /** A line that rebuilds this problem in a test. */
    @Override
    public String toString() {
        return String.format("new ConvProblem(%d, %d, %d, %d, %d, %d, %d, new Conv2dSpec(%d, %d, %d, %d, %d, %d, %d, %d, %d), %s, %dL)"
                        + "  /* input [%d,%d,%d,%d], weight [%d,%d,%d,%d], output %s */",
                n, c, h, w, k, r, s, spec.strideH(), spec.strideW(), spec.padTop(), spec.padBottom(), spec.padLeft(),
                spec.padRight(), spec.dilationH(), spec.dilationW(), spec.groups(), hasBias, dataSeed,
                n, c, h, w, k, c / spec.groups(), r, s, java.util.Arrays.toString(geometry().outputShape()));
    }
}
