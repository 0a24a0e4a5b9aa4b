package org.conv4j.nn.layer;

import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * Max or average pooling through core's non-allocating {@link Pooling} forms, with a fixed window
 * ({@link MaxPool2d}, {@link AvgPool2d}) or a window covering the whole plane (global pooling, output
 * {@code [N, C, 1, 1]}).
 *
 * <p>Max pooling whose windows all lie inside the input (no padding, floor mode: the usual 2x2 stride 2)
 * takes {@link MaxPoolInside} instead, without per-tap bounds checks. Results are identical to core's (same
 * first-maximum and NaN rules; tested).
 */
abstract sealed class Pool implements Layer permits MaxPool2d, AvgPool2d, GlobalAvgPool2d, GlobalMaxPool2d {
    private final boolean max;
    /** The window of MaxPool2d/AvgPool2d; null for global pooling, whose window is the whole plane. */
    private final Pool2dSpec fixedWindow;
    private final Workspace outBuf = new Workspace();
    private final Workspace gradBuf = new Workspace();
    private Tensor input;
    private Pool2dSpec lastSpec;
    private boolean lastInside;
    private Tensor output;

    /** Global pooling: the window covers each whole plane. */
    Pool(boolean max) {
        this.max = max;
        this.fixedWindow = null;
    }

    /** Pooling with a fixed window. */
    Pool(boolean max, Pool2dSpec window) {
        if (window == null) {
            throw new IllegalArgumentException("spec: expected a Pool2dSpec, got null");
        }
        this.max = max;
        this.fixedWindow = window;
    }

    /** The window for an input of this shape. */
    final Pool2dSpec spec(int[] inputShape) {
        return fixedWindow != null ? fixedWindow : wholePlane(inputShape);
    }

    /** {@code Name(KxK, stride S[, pad P])} for a fixed window. */
    final String describeWindow(String name) {
        return describe(name, fixedWindow);
    }

    @Override
    public final int[] outputShape(int[] inputShape) {
        Shapes.rank("input", inputShape, 4, "[N, C, H, W]");
        return spec(inputShape).outputShape(inputShape);
    }

    @Override
    public final Tensor forward(Tensor input) {
        int[] s = Shapes.of("input", input);
        Pool2dSpec spec = spec(Shapes.rank("input", s, 4, "[N, C, H, W]"));
        Tensor out = outBuf.get(spec.outputShape(s));
        lastInside = max && MaxPoolInside.applies(spec);
        if (lastInside) {
            MaxPoolInside.forward(input, spec, out);
        } else if (max) {
            Pooling.maxForward(input, spec, out);
        } else {
            Pooling.avgForward(input, spec, out);
        }
        this.input = input;
        this.lastSpec = spec;
        this.output = out;
        return out;
    }

    @Override
    public final Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        Tensor gradIn = gradBuf.get(input.shape());
        if (lastInside) {
            Shapes.expect("gradOutput", gradOutput, output.shape());
            MaxPoolInside.backward(input, output, gradOutput, lastSpec, gradIn);
        } else if (max) {
            Pooling.maxBackward(input, gradOutput, lastSpec, gradIn);
        } else {
            Pooling.avgBackward(gradOutput, lastSpec, gradIn);
        }
        return gradIn;
    }

    /** A window covering a whole {@code H x W} plane. */
    static Pool2dSpec wholePlane(int[] inputShape) {
        return new Pool2dSpec(inputShape[2], inputShape[3], inputShape[2], inputShape[3], 0, 0, 0, 0, 1, 1, false, true);
    }

    static String describe(String name, Pool2dSpec spec) {
        return name + "(" + spec.kernelH() + "x" + spec.kernelW() + ", stride " + spec.strideH()
                + (spec.padTop() > 0 ? ", pad " + spec.padTop() : "") + ")";
    }
}
