package org.conv4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.core.Tensor;

/**
 * A trainable tensor and its gradient, of the same shape. The gradient is overwritten by each backward pass.
 *
 * @param value the weights the optimiser updates in place
 * @param grad  the gradient of the loss with respect to {@code value}
 */
public record Parameter(Tensor value, Tensor grad) {
    public Parameter {
        if (value == null || grad == null) {
            throw new IllegalArgumentException("value, grad: expected tensors, got null");
        }
        if (!grad.hasShape(value.shape())) {
            throw new IllegalArgumentException("grad: expected the value's shape " + java.util.Arrays.toString(value.shape())
                    + ", got " + java.util.Arrays.toString(grad.shape()));
        }
    }

    /** A zero parameter of the given shape with a zero gradient. */
    /** The {@code state_dict} entries of a layer with a weight and an optional bias (null): {@code weight}, then {@code bias}. */
    public static Map<String, Parameter> weightAndBias(Parameter weight, Parameter bias) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight", weight);
        if (bias != null) {
            m.put("bias", bias);
        }
        return m;
    }

    public static Parameter zeros(int... shape) {
        return new Parameter(Tensor.zeros(shape), Tensor.zeros(shape));
    }
}
