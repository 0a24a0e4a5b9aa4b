package org.conv4j.simd;

import java.util.List;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;

/**
 * The {@value #NAME} engine: direct convolution on NCHW tensors with JDK Vector API micro-kernels
 * (see {@link DirectConvolution} and {@link WeightGradient}). It is the highest-priority engine when
 * the {@code jdk.incubator.vector} module is present; without it {@link #isAvailable()} is false and
 * the passes throw {@link IllegalStateException}.
 *
 * <p>This class never touches a Vector API type itself, so it loads (and answers
 * {@link #isAvailable()}) on a JVM started without {@code --add-modules jdk.incubator.vector}.
 */
public final class SimdConvEngine implements ConvEngine {
    public static final String NAME = "simd";
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        return AVAILABLE;
    }

    @Override
    public void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        ConvGeometry g = ConvGeometry.forward(input, weight, bias, spec, output);
        requireAvailable();
        if (FullyConnected.applies(g)) {
            FullyConnected.forward(g, input.data(), weight.data(), bias == null ? null : bias.data(), output.data());
            return;
        }
        run(ConvPlan.forward(g), input.data(), weight.data(), bias == null ? null : bias.data(), output.data());
    }

    @Override
    public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        ConvGeometry g = ConvGeometry.backwardInput(gradOutput, weight, spec, gradInput);
        requireAvailable();
        if (FullyConnected.applies(g)) {
            FullyConnected.backwardInput(g, gradOutput.data(), weight.data(), gradInput.data());
            return;
        }
        List<ConvPlan> phases = ConvPlan.backwardInput(g);
        if (phases.size() == 1) { // stride 1 (or one pixel per strided axis): one plan, which may take a small-shape path
            run(phases.getFirst(), gradOutput.data(), weight.data(), null, gradInput.data());
        } else { // one plan per input phase, sharing one packed copy of the output gradient
            DirectConvolution.run(phases, gradOutput.data(), weight.data(), null, gradInput.data());
        }
    }

    @Override
    public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
        ConvGeometry g = ConvGeometry.backwardWeight(input, gradOutput, spec, gradWeight, gradBias);
        requireAvailable();
        WeightGradient.run(g, input.data(), gradOutput.data(), gradWeight.data(),
                gradBias == null ? null : gradBias.data());
    }

    /** Depthwise at stride 1, one output from a 5-row kernel, short reductions on small planes and small planes of a large batch take their own paths, everything else the flat direct convolution. */
    private static void run(ConvPlan plan, float[] src, float[] weights, float[] bias, float[] out) {
        if (DepthwiseConvolution.applies(plan)) {
            DepthwiseConvolution.run(plan, src, weights, bias, out);
        } else if (RowReuseConvolution.applies(plan)) {
            RowReuseConvolution.run(plan, src, weights, bias, out);
        } else if (ShiftedPlanesConvolution.applies(plan)) {
            ShiftedPlanesConvolution.run(plan, src, weights, bias, out);
        } else if (ImageLanesConvolution.applies(plan)) {
            ImageLanesConvolution.run(plan, src, weights, bias, out);
        } else {
            DirectConvolution.run(plan, src, weights, bias, out);
        }
    }

    private static void requireAvailable() {
        if (!AVAILABLE) {
            throw new IllegalStateException("engine '" + NAME + "' needs the jdk.incubator.vector module: start the JVM"
                    + " with --add-modules jdk.incubator.vector");
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
