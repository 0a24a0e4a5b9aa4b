package org.conv4j.nn.layer;

import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Shapes;

/** {@code [N, C, H, W] -> [N, C*H*W]} in row-major order (PyTorch's {@code flatten(1)}); views, never copies. */
public final class Flatten implements Layer {
    private Tensor input;
    private Tensor flat;
    private Tensor gradIn;

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape == null || inputShape.length < 2) {
            throw new IllegalArgumentException("input: expected rank >= 2 [N, ...], got "
                    + (inputShape == null ? "null" : java.util.Arrays.toString(inputShape)));
        }
        return new int[] {inputShape[0], Shapes.product(inputShape, 1)};
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] os = outputShape(Shapes.of("input", input));
        if (flat == null || flat.data() != input.data() || !flat.hasShape(os)) {
            flat = input.reshape(os); // a view: cached while the producer hands back the same buffer
        }
        this.input = input;
        return flat;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        Shapes.expect("gradOutput", gradOutput, flat.shape());
        if (gradIn == null || gradIn.data() != gradOutput.data() || !gradIn.hasShape(input.shape())) {
            gradIn = gradOutput.reshape(input.shape());
        }
        return gradIn;
    }
}
