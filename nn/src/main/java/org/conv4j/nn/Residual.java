package org.conv4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.Tensor;
import org.conv4j.nn.layer.BatchNorm2d;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.layer.Kernels;
import org.conv4j.nn.layer.ReLU;

/**
 * A residual block: {@code y = relu(body(x) + shortcut(x))}, the shortcut being the identity or a projection
 * (a strided 1x1 convolution and batch norm when the shape changes). Parameter names follow torchvision's
 * {@code BasicBlock}/{@code Bottleneck}: the body's children by their own names ({@code conv1}, {@code bn1},
 * ...), the projection under {@code downsample.0}, {@code downsample.1}.
 */
public final class Residual implements Layer {
    private final Sequential body;
    private final Sequential shortcut; // null: identity
    private final boolean reluAfter;
    private final Workspace outBuf = new Workspace();
    private final Workspace gradBuf = new Workspace();
    private Tensor output;
    private boolean inputGradientNeeded = true;

    /** {@code relu(body(x) + shortcut(x))} (or without the ReLU); a null shortcut is the identity. */
    public Residual(Sequential body, Sequential shortcut, boolean reluAfter) {
        if (body == null) {
            throw new IllegalArgumentException("body: expected a layer, got null");
        }
        this.body = body;
        this.shortcut = shortcut;
        this.reluAfter = reluAfter;
    }

    /**
     * torchvision's {@code BasicBlock}: 3x3 conv (stride), BN, ReLU, 3x3 conv, BN, plus the identity, or a
     * 1x1 strided projection with BN when the stride or channel count changes; then ReLU.
     */
    public static Residual basic(int in, int out, int stride) {
        Sequential body = new Sequential()
                .add("conv1", new Conv2d(in, out, 3, 3, Conv2dSpec.builder().stride(stride).pad(1).build(), false))
                .add("bn1", new BatchNorm2d(out))
                .add("relu1", new ReLU())
                .add("conv2", new Conv2d(out, out, 3, 3, Conv2dSpec.same(3), false))
                .add("bn2", new BatchNorm2d(out));
        return new Residual(body, projection(in, out, stride), true);
    }

    /**
     * torchvision's {@code Bottleneck}: 1x1 conv down to {@code mid} channels, BN, ReLU, 3x3 conv (stride),
     * BN, ReLU, 1x1 conv up to {@code out}, BN, plus the shortcut; then ReLU.
     */
    public static Residual bottleneck(int in, int mid, int out, int stride) {
        Sequential body = new Sequential()
                .add("conv1", new Conv2d(in, mid, 1, 1, Conv2dSpec.DEFAULT, false))
                .add("bn1", new BatchNorm2d(mid))
                .add("relu1", new ReLU())
                .add("conv2", new Conv2d(mid, mid, 3, 3, Conv2dSpec.builder().stride(stride).pad(1).build(), false))
                .add("bn2", new BatchNorm2d(mid))
                .add("relu2", new ReLU())
                .add("conv3", new Conv2d(mid, out, 1, 1, Conv2dSpec.DEFAULT, false))
                .add("bn3", new BatchNorm2d(out));
        return new Residual(body, projection(in, out, stride), true);
    }

    private static Sequential projection(int in, int out, int stride) {
        if (in == out && stride == 1) {
            return null;
        }
        return new Sequential()
                .add("0", new Conv2d(in, out, 1, 1, Conv2dSpec.of(stride, 0), false))
                .add("1", new BatchNorm2d(out));
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] main = body.outputShape(inputShape);
        int[] side = shortcut == null ? inputShape : shortcut.outputShape(inputShape);
        if (!java.util.Arrays.equals(main, side)) {
            throw new IllegalArgumentException("shortcut: expected the body's output shape " + java.util.Arrays.toString(main)
                    + ", got " + java.util.Arrays.toString(side) + " (use a projection shortcut)");
        }
        return main;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor a = body.forward(input);
        Tensor b = shortcut == null ? input : shortcut.forward(input);
        Shapes.expect("shortcut output", b, a.shape());
        output = outBuf.get(a.shape());
        Kernels.add(a.data(), b.data(), output.data(), output.size(), reluAfter);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        Shapes.expect("gradOutput", gradOutput, output.shape());
        Tensor g = gradOutput;
        if (reluAfter) {
            g = gradBuf.get(output.shape());
            Kernels.reluGradient(output.data(), gradOutput.data(), g.data(), g.size());
        }
        Tensor dBody = body.backward(g);
        Tensor dShort = shortcut == null ? g : shortcut.backward(g);
        if (!inputGradientNeeded) {
            return null;
        }
        // dBody is the body's own buffer: sum into it rather than allocate
        Kernels.add(dBody.data(), dShort.data(), dBody.data(), dBody.size(), false);
        return dBody;
    }

    @Override
    public void setTraining(boolean training) {
        body.setTraining(training);
        if (shortcut != null) {
            shortcut.setTraining(training);
        }
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        // both paths must produce their input gradients for the sum, so only the flag here changes
        inputGradientNeeded = needed;
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(body.parameters());
        if (shortcut != null) {
            Sequential.prefixInto(all, "downsample.", shortcut.parameters());
        }
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>(body.buffers());
        if (shortcut != null) {
            Sequential.prefixInto(all, "downsample.", shortcut.buffers());
        }
        return all;
    }

    @Override
    public String describe() {
        return "Residual(" + (shortcut == null ? "identity" : "projection") + " shortcut, "
                + body.layers().size() + "-layer body)";
    }
}
