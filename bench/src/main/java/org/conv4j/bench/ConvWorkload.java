package org.conv4j.bench;

import java.util.SplittableRandom;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.Tensor;

/**
 * The tensors of one benchmarked pass, allocated once: the operands filled with seeded uniform
 * values in [-1, 1), the result tensor the engine overwrites on every call. No bias: the timed work
 * is exactly the convolution that {@link ConvShape#flops()} counts (PyTorch's script does the same).
 */
public final class ConvWorkload {
    private final ConvEngine engine;
    private final ConvShape shape;
    private final Pass pass;
    private final Tensor input;
    private final Tensor weight;
    private final Tensor gradOutput;
    private final Tensor result;

    public ConvWorkload(ConvEngine engine, ConvShape shape, Pass pass, long seed) {
        if (engine == null || shape == null || pass == null) {
            throw new IllegalArgumentException("engine, shape, pass: expected non-null, got " + engine + ", "
                    + shape + ", " + pass);
        }
        this.engine = engine;
        this.shape = shape;
        this.pass = pass;
        SplittableRandom random = new SplittableRandom(seed);
        // only the operands the pass reads are filled; the result is allocated by shape
        this.input = pass == Pass.BACKWARD_INPUT ? null : uniform(random, shape.inputShape());
        this.weight = pass == Pass.BACKWARD_WEIGHT ? null : uniform(random, shape.weightShape());
        this.gradOutput = pass == Pass.FORWARD ? null : uniform(random, shape.outputShape());
        this.result = Tensor.zeros(switch (pass) {
            case FORWARD -> shape.outputShape();
            case BACKWARD_INPUT -> shape.inputShape();
            case BACKWARD_WEIGHT -> shape.weightShape();
        });
    }

    /** Runs the pass once and returns its (overwritten) result tensor. */
    public Tensor run() {
        switch (pass) {
            case FORWARD -> engine.forward(input, weight, null, shape.spec(), result);
            case BACKWARD_INPUT -> engine.backwardInput(gradOutput, weight, shape.spec(), result);
            case BACKWARD_WEIGHT -> engine.backwardWeight(input, gradOutput, shape.spec(), result, null);
        }
        return result;
    }

    public ConvShape shape() {
        return shape;
    }

    public Pass pass() {
        return pass;
    }

    private static Tensor uniform(SplittableRandom random, int[] dims) {
        Tensor t = Tensor.zeros(dims);
        float[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return t;
    }
}
