package org.conv4j.core;

import java.util.Arrays;

/**
 * The checked sizes of one convolution: input {@code [n, c, h, w]}, weights
 * {@code [k, c/groups, r, s]}, output {@code [n, k, outH, outW]}, and the spec.
 *
 * <p>Every engine validates its arguments through the factories here before it touches memory,
 * so all engines reject bad input with the same {@link IllegalArgumentException} messages, each
 * naming the argument, the expected and the actual value.
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s, int outH, int outW,
                           Conv2dSpec spec) {

    public ConvGeometry {
        if (spec == null) {
            throw new IllegalArgumentException("spec: expected a Conv2dSpec, got null");
        }
    }

    public int groups() {
        return spec.groups();
    }

    /** Input channels per group: the weight tensor's second extent. */
    public int cPerGroup() {
        return c / spec.groups();
    }

    /** Output channels per group. */
    public int kPerGroup() {
        return k / spec.groups();
    }

    public int[] inputShape() {
        return new int[] {n, c, h, w};
    }

    public int[] weightShape() {
        return new int[] {k, c / spec.groups(), r, s};
    }

    public int[] outputShape() {
        return new int[] {n, k, outH, outW};
    }

    /** Floating-point operations of one pass (forward, backward input or backward weight): 2·N·K·(C/groups)·R·S·OH·OW. */
    public double flops() {
        return 2.0 * n * k * cPerGroup() * r * s * outH * outW;
    }

    /** The length of the dot product behind one forward output: (C/groups)·R·S. */
    public int reductionLength() {
        return cPerGroup() * r * s;
    }

    /** Checks shapes and spec against each other and computes the output size. */
    public static ConvGeometry of(int[] inputShape, int[] weightShape, Conv2dSpec spec) {
        return of("input", inputShape, "weight", weightShape, spec);
    }

    /** {@link #of(int[], int[], Conv2dSpec)} with the names the caller's arguments have, for the messages. */
    private static ConvGeometry of(String inputName, int[] inputShape, String weightName, int[] weightShape,
                                   Conv2dSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: expected a Conv2dSpec, got null");
        }
        rank4(inputName, inputShape, "[N, C, H, W]");
        rank4(weightName, weightShape, "[K, C/groups, R, S]");
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        int k = weightShape[0], cg = weightShape[1], r = weightShape[2], s = weightShape[3];
        int g = spec.groups();
        if (c % g != 0) {
            throw new IllegalArgumentException(inputName + ": expected a channel count divisible by groups=" + g
                    + ", got C=" + c + " in " + Arrays.toString(inputShape));
        }
        if (k % g != 0) {
            throw new IllegalArgumentException(weightName + ": expected an output-channel count divisible by groups="
                    + g + ", got K=" + k + " in " + Arrays.toString(weightShape));
        }
        if (cg != c / g) {
            throw new IllegalArgumentException(weightName + ": expected C/groups=" + (c / g) + " input channels (C=" + c
                    + ", groups=" + g + ") in dimension 1, got " + cg + " in " + Arrays.toString(weightShape));
        }
        long oh = Conv2dSpec.outputExtent(h, spec.padTop(), spec.padBottom(), spec.dilationH(), r, spec.strideH());
        long ow = Conv2dSpec.outputExtent(w, spec.padLeft(), spec.padRight(), spec.dilationW(), s, spec.strideW());
        if (oh < 1) {
            throw new IllegalArgumentException(weightName + ": expected a dilated kernel height dilationH*(R-1)+1 <= "
                    + "padded input height H+padTop+padBottom=" + ((long) h + spec.padTop() + spec.padBottom())
                    + ", got " + ((long) spec.dilationH() * (r - 1) + 1) + " (R=" + r + ", dilationH="
                    + spec.dilationH() + ")");
        }
        if (ow < 1) {
            throw new IllegalArgumentException(weightName + ": expected a dilated kernel width dilationW*(S-1)+1 <= "
                    + "padded input width W+padLeft+padRight=" + ((long) w + spec.padLeft() + spec.padRight())
                    + ", got " + ((long) spec.dilationW() * (s - 1) + 1) + " (S=" + s + ", dilationW="
                    + spec.dilationW() + ")");
        }
        long outCount = (long) n * k * oh * ow;
        if (oh > Integer.MAX_VALUE || ow > Integer.MAX_VALUE || outCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("output: expected at most " + (Integer.MAX_VALUE - 8)
                    + " elements, got [" + n + ", " + k + ", " + oh + ", " + ow + "] = " + outCount);
        }
        return new ConvGeometry(n, c, h, w, k, r, s, (int) oh, (int) ow, spec);
    }

    /** Validates the arguments of {@link ConvEngine#forward}. */
    public static ConvGeometry forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        ConvGeometry g = of(shapeOf("input", input), shapeOf("weight", weight), spec);
        g.checkBias("bias", bias);
        expectShape("output", output, g.outputShape());
        distinct("output", output, input, weight, bias);
        return g;
    }

    /** Validates the arguments of {@link ConvEngine#backwardInput}; the input shape is gradInput's. */
    public static ConvGeometry backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        ConvGeometry g = of("gradInput", shapeOf("gradInput", gradInput), "weight", shapeOf("weight", weight), spec);
        expectShape("gradOutput", gradOutput, g.outputShape());
        distinct("gradInput", gradInput, gradOutput, weight);
        return g;
    }

    /** Validates the arguments of {@link ConvEngine#backwardWeight}; the weight shape is gradWeight's. */
    public static ConvGeometry backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight,
                                              Tensor gradBias) {
        ConvGeometry g = of("input", shapeOf("input", input), "gradWeight", shapeOf("gradWeight", gradWeight), spec);
        expectShape("gradOutput", gradOutput, g.outputShape());
        g.checkBias("gradBias", gradBias);
        distinct("gradWeight", gradWeight, input, gradOutput, gradBias);
        if (gradBias != null) {
            distinct("gradBias", gradBias, input, gradOutput);
        }
        return g;
    }

    private void checkBias(String name, Tensor bias) {
        if (bias != null && !(bias.rank() == 1 && bias.dim(0) == k)) {
            throw new IllegalArgumentException(name + ": expected shape [" + k + "] (one per output channel), got "
                    + Arrays.toString(bias.shape()));
        }
    }

    /** Throws unless {@code t} is non-null with exactly the expected shape. */
    public static void expectShape(String name, Tensor t, int[] expected) {
        if (t == null) {
            throw new IllegalArgumentException(name + ": expected a tensor of shape " + Arrays.toString(expected)
                    + ", got null");
        }
        if (!t.hasShape(expected)) {
            throw new IllegalArgumentException(name + ": expected shape " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(t.shape()));
        }
    }

    /** Throws when a result tensor shares its array with an operand: the engine would read what it overwrites. */
    private static void distinct(String name, Tensor result, Tensor... operands) {
        for (Tensor t : operands) {
            if (t != null && t.data() == result.data()) {
                throw new IllegalArgumentException(name + ": expected a tensor whose data is distinct from the operands'"
                        + ", got one sharing its array with an operand");
            }
        }
    }

    private static int[] shapeOf(String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(name + ": expected a tensor, got null");
        }
        return t.shape();
    }

    private static void rank4(String name, int[] shape, String layout) {
        if (shape == null) {
            throw new IllegalArgumentException(name + ": expected a rank-4 shape " + layout + ", got null");
        }
        if (shape.length != 4) {
            throw new IllegalArgumentException(name + ": expected rank 4 " + layout + ", got rank " + shape.length
                    + " " + Arrays.toString(shape));
        }
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + ": expected every extent >= 1 in " + layout + ", got "
                        + Arrays.toString(shape));
            }
        }
    }
}
