package org.conv4j.nn.layer;

import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * A shape-preserving activation applied element by element. Subclasses give the function and its
 * derivative expressed through the output, which is what backward keeps (for ReLU, sigmoid and tanh the
 * output alone determines the derivative).
 */
abstract sealed class Elementwise implements Layer permits ReLU, Sigmoid, Tanh {
    private final Workspace outBuf = new Workspace();
    private final Workspace gradBuf = new Workspace();
    private Tensor output;

    /** {@code y[i] = f(x[i])} for every i. */
    abstract void apply(float[] x, float[] y);

    /** {@code dx[i] = dy[i] * f'(x[i])}, written in terms of {@code y = f(x)}. */
    abstract void gradient(float[] y, float[] dy, float[] dx);

    @Override
    public final int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public final Tensor forward(Tensor input) {
        output = outBuf.get(Shapes.of("input", input));
        apply(input.data(), output.data());
        return output;
    }

    @Override
    public final Tensor backward(Tensor gradOutput) {
        if (output == null) {
            throw new IllegalStateException("backward before forward");
        }
        Shapes.expect("gradOutput", gradOutput, output.shape());
        Tensor gradIn = gradBuf.get(output.shape());
        gradient(output.data(), gradOutput.data(), gradIn.data());
        return gradIn;
    }

    @Override
    public String describe() {
        return getClass().getSimpleName();
    }
}
