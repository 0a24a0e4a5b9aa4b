package org.conv4j.nn;

import java.util.Map;
import org.conv4j.core.Tensor;

/**
 * One differentiable step of a network. Tensors are batch-first: {@code [N, C, H, W]} for images,
 * {@code [N, features]} after {@code Flatten}.
 *
 * <p>Contract: {@link #forward} returns a tensor the layer owns and reuses on the next call with the same
 * shape (copy it to keep it); {@link #backward} must follow the {@code forward} whose output it
 * differentiates, returns the gradient with respect to that forward's input (also layer-owned), and
 * <em>overwrites</em> (does not accumulate) the gradients of {@link #parameters()}. The input passed to
 * {@code forward} must stay unchanged until the matching {@code backward}. Neither pass allocates
 * tensors once the shapes have been seen (steady state).
 */
public interface Layer {

    /** The output shape for an input shape (batch axis included); throws IllegalArgumentException when it does not fit. */
    int[] outputShape(int[] inputShape);

    /** Computes the output for {@code input} in the current mode ({@link #setTraining}). */
    Tensor forward(Tensor input);

    /** The gradient with respect to the last forward's input, or null when {@link #setInputGradientNeeded} turned it off. */
    Tensor backward(Tensor gradOutput);

    /** Training mode (batch statistics, dropout) or evaluation mode; training is the default. */
    default void setTraining(boolean training) {
    }

    /**
     * Whether {@link #backward} must compute the input gradient. The first layer of a network does not
     * need it (nothing consumes it), which saves a whole transposed convolution.
     */
    default void setInputGradientNeeded(boolean needed) {
    }

    /** Trainable parameters by PyTorch {@code state_dict} name relative to this layer (e.g. {@code weight}), in order. */
    default Map<String, Parameter> parameters() {
        return Map.of();
    }

    /** Non-trainable state saved with the weights (e.g. batch-norm running statistics), by name, in order. */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /** A short description for model summaries, e.g. {@code Conv2d(1->8, 3x3, pad 1)}. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** The number of trainable scalars. */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters().values()) {
            n += p.value().size();
        }
        return n;
    }
}
