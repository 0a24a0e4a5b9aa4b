package org.conv4j.nn.layer;

import java.util.Map;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Parameter;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.Workspace;

/**
 * A 2-D convolution layer run through the {@link ConvEngine} SPI: weights {@code [out, in/groups, kh, kw]}
 * (PyTorch's OIHW), optional bias {@code [out]}, any stride, padding, dilation and groups. The engine is
 * {@link ConvEngines#preferred()} at construction unless one is given.
 */
public final class Conv2d implements Layer {
    private final int inChannels;
    private final int outChannels;
    private final Conv2dSpec spec;
    private final Parameter weight;
    private final Parameter bias; // null without bias
    private final ConvEngine engine;
    private final Workspace outBuf = new Workspace();
    private final Workspace gradInBuf = new Workspace();
    private Tensor input;
    private boolean inputGradientNeeded = true;

    /** A square {@code k x k} convolution with stride 1, "same" padding for odd k, and a bias. */
    public Conv2d(int inChannels, int outChannels, int k) {
        this(inChannels, outChannels, k, k, k % 2 == 1 ? Conv2dSpec.same(k) : Conv2dSpec.DEFAULT, true);
    }

    public Conv2d(int inChannels, int outChannels, int kh, int kw, Conv2dSpec spec, boolean bias) {
        this(inChannels, outChannels, kh, kw, spec, bias, ConvEngines.preferred());
    }

    public Conv2d(int inChannels, int outChannels, int kh, int kw, Conv2dSpec spec, boolean bias, ConvEngine engine) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: expected a Conv2dSpec, got null");
        }
        if (engine == null) {
            throw new IllegalArgumentException("engine: expected a ConvEngine, got null");
        }
        if (inChannels < 1 || outChannels < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("inChannels, outChannels, kh, kw: expected >= 1, got " + inChannels
                    + ", " + outChannels + ", " + kh + ", " + kw);
        }
        if (inChannels % spec.groups() != 0 || outChannels % spec.groups() != 0) {
            throw new IllegalArgumentException("groups: expected a divisor of inChannels=" + inChannels
                    + " and outChannels=" + outChannels + ", got " + spec.groups());
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.spec = spec;
        this.engine = engine;
        this.weight = Parameter.zeros(outChannels, inChannels / spec.groups(), kh, kw);
        this.bias = bias ? Parameter.zeros(outChannels) : null;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
    public Parameter bias() {
        return bias;
    }

    public Conv2dSpec spec() {
        return spec;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        Shapes.rank("input", inputShape, 4, "[N, C, H, W]");
        return ConvGeometry.of(inputShape, weight.value().shape(), spec).outputShape();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor out = outBuf.get(outputShape(Shapes.of("input", input)));
        engine.forward(input, weight.value(), bias == null ? null : bias.value(), spec, out);
        this.input = input;
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        engine.backwardWeight(input, gradOutput, spec, weight.grad(), bias == null ? null : bias.grad());
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor gradIn = gradInBuf.get(input.shape());
        engine.backwardInput(gradOutput, weight.value(), spec, gradIn);
        return gradIn;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public String describe() {
        int[] w = weight.value().shape();
        StringBuilder sb = new StringBuilder("Conv2d(").append(inChannels).append("->").append(outChannels)
                .append(", ").append(w[2]).append('x').append(w[3]);
        if (spec.strideH() != 1 || spec.strideW() != 1) {
            sb.append(", stride ").append(spec.strideH() == spec.strideW() ? "" + spec.strideH() : spec.strideH() + "x" + spec.strideW());
        }
        if (spec.padTop() + spec.padBottom() + spec.padLeft() + spec.padRight() > 0) {
            boolean even = spec.padTop() == spec.padBottom() && spec.padTop() == spec.padLeft() && spec.padTop() == spec.padRight();
            sb.append(", pad ").append(even ? "" + spec.padTop()
                    : spec.padTop() + "," + spec.padBottom() + "," + spec.padLeft() + "," + spec.padRight());
        }
        if (spec.dilationH() != 1 || spec.dilationW() != 1) {
            sb.append(", dilation ").append(spec.dilationH()).append('x').append(spec.dilationW());
        }
        if (spec.groups() != 1) {
            sb.append(", groups ").append(spec.groups());
        }
        return sb.append(bias == null ? ", no bias)" : ")").toString();
    }
}
