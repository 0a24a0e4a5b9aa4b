package org.conv4j.core;

/**
 * The reference engine {@value #NAME}: {@link ReferenceConvolution}, the definition written
 * plainly and accumulated in double, on float tensors. It favours obviousness over speed; every
 * other engine is tested against it.
 */
public final class NaiveConvEngine implements ConvEngine {
    public static final String NAME = "naive";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        ConvGeometry g = ConvGeometry.forward(input, weight, bias, spec, output);
        double[] out = ReferenceConvolution.forward(toDouble(input), toDouble(weight),
                bias == null ? null : toDouble(bias), g);
        copyInto(out, output);
    }

    @Override
    public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        ConvGeometry g = ConvGeometry.backwardInput(gradOutput, weight, spec, gradInput);
        copyInto(ReferenceConvolution.backwardInput(toDouble(gradOutput), toDouble(weight), g), gradInput);
    }

    @Override
    public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
        ConvGeometry g = ConvGeometry.backwardWeight(input, gradOutput, spec, gradWeight, gradBias);
        double[] dy = toDouble(gradOutput);
        copyInto(ReferenceConvolution.backwardWeight(toDouble(input), dy, g), gradWeight);
        if (gradBias != null) {
            copyInto(ReferenceConvolution.backwardBias(dy, g), gradBias);
        }
    }

    /** The tensor's values widened to double. */
    public static double[] toDouble(Tensor t) {
        float[] f = t.data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void copyInto(double[] values, Tensor target) {
        float[] f = target.data();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
