package org.conv4j.core;

/**
 * A convolution implementation: the service interface engines provide, found by
 * {@link java.util.ServiceLoader} (declare it with {@code provides org.conv4j.core.ConvEngine with ...}
 * in module-info and in {@code META-INF/services/org.conv4j.core.ConvEngine}).
 *
 * <p>Tensors are NCHW, weights {@code [K, C/groups, R, S]}; see {@link Conv2dSpec} for the formula.
 * Each pass overwrites its output tensor entirely and validates every argument first
 * (through {@link ConvGeometry}), throwing {@link IllegalArgumentException} on bad input.
 * Implementations must be safe to call from many threads at once: any cached workspace or packed
 * copy is the engine's private, per-thread business. An engine may use up to
 * {@link ConvEngines#threads()} threads inside one call.
 */
public interface ConvEngine {

    /** The short name users select the engine by, e.g. {@code "naive"}, {@code "simd"}. */
    String name();

    /** Higher wins when no engine is named; the reference engine has 0. */
    int priority();

    /** False when the engine cannot run here (e.g. a missing JDK module or CPU feature). */
    boolean isAvailable();

    /** {@code output = conv(input, weight) + bias}; {@code bias} is {@code [K]} or null. */
    void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output);

    /**
     * {@code gradInput = d(sum(gradOutput * conv(input, weight)))/d input}: the transposed convolution
     * of {@code gradOutput}. The shape of {@code gradInput} gives the input shape, so output padding
     * of a transposed convolution is expressed by choosing it.
     */
    void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput);

    /**
     * {@code gradWeight = d/d weight}, and {@code gradBias = d/d bias} (the sum of gradOutput over
     * N, OH, OW) when {@code gradBias} is not null. Both are overwritten, not accumulated.
     */
    void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias);

    /** Allocating convenience form of {@link #forward(Tensor, Tensor, Tensor, Conv2dSpec, Tensor)}. */
    default Tensor forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec) {
        ConvGeometry g = ConvGeometry.of(shape("input", input), shape("weight", weight), spec);
        Tensor out = Tensor.zeros(g.outputShape());
        forward(input, weight, bias, spec, out);
        return out;
    }

    /** Allocating convenience form of {@link #backwardInput(Tensor, Tensor, Conv2dSpec, Tensor)}. */
    default Tensor backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, int... inputShape) {
        Tensor gradInput = Tensor.zeros(inputShape);
        backwardInput(gradOutput, weight, spec, gradInput);
        return gradInput;
    }

    /** Allocating convenience form of {@link #backwardWeight}: returns the weight gradient only. */
    default Tensor backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, int... weightShape) {
        Tensor gradWeight = Tensor.zeros(weightShape);
        backwardWeight(input, gradOutput, spec, gradWeight, null);
        return gradWeight;
    }

    private static int[] shape(String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(name + ": expected a tensor, got null");
        }
        return t.shape();
    }
}
