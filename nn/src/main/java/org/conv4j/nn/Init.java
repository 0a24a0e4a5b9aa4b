package org.conv4j.nn;

import java.util.Map;
import java.util.SplittableRandom;
import org.conv4j.core.Tensor;

/**
 * Seeded weight initialisation by fan-in and fan-out, computed from the shape as PyTorch does:
 * {@code [out, in]} or {@code [out, in/groups, kh, kw]} give {@code fanIn = in*kh*kw},
 * {@code fanOut = out*kh*kw}. Applied to a model, it initialises every parameter of rank 2 or more (weights)
 * and sets every {@code bias} of a layer with such weights (zero, or drawn for {@link #TORCH}); batch-norm
 * scales stay 1.
 */
public enum Init {
    /** He/Kaiming normal, {@code std = sqrt(2 / fanIn)}: for ReLU networks. */
    HE,
    /** Xavier/Glorot uniform, {@code U(-a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))}: for tanh/sigmoid. */
    XAVIER,
    /**
     * PyTorch's default for {@code Conv2d} and {@code Linear}: {@code kaiming_uniform_(a = sqrt(5))}, which is
     * {@code U(-b, b)} with {@code b = 1 / sqrt(fanIn)}, and biases from the same range. Its weights are
     * {@code sqrt(6)} times smaller than {@link #HE}'s; with batch norm and Adam that makes the relative
     * steps larger, and networks trained for few epochs end up more accurate (cnn-small on Fashion-MNIST).
     */
    TORCH;

    /** Initialises every weight of the model, in parameter order, from one generator seeded with {@code seed}. */
    public void apply(Layer model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Parameter> params = model.parameters();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor w = e.getValue().value();
            if (w.rank() >= 2) {
                fill(w, random);
                String name = e.getKey();
                Parameter bias = params.get(name.substring(0, name.length() - "weight".length()) + "bias");
                if (name.endsWith("weight") && bias != null) {
                    fillBias(bias.value(), w, random);
                }
            }
        }
    }

    /** Fills one weight tensor (rank >= 2) from {@code random}. */
    public void fill(Tensor weight, SplittableRandom random) {
        int[] s = weight.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("weight: expected rank >= 2 [out, in, ...], got rank " + s.length);
        }
        double fanIn = fanIn(weight), fanOut = (double) weight.size() / s[1];
        switch (this) {
            case TORCH -> uniform(weight, 1 / Math.sqrt(fanIn), random);
            case XAVIER -> uniform(weight, Math.sqrt(6 / (fanIn + fanOut)), random);
            case HE -> {
                double std = Math.sqrt(2 / fanIn);
                float[] d = weight.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (random.nextGaussian() * std);
                }
            }
        }
    }

    /** The bias of a layer with {@code weight}: drawn like the weights for {@link #TORCH}, else zero. */
    private void fillBias(Tensor bias, Tensor weight, SplittableRandom random) {
        if (this == TORCH) {
            uniform(bias, 1 / Math.sqrt(fanIn(weight)), random);
        } else {
            bias.fill(0f);
        }
    }

    /** {@code in * kh * kw} of an {@code [out, in, kh, kw]} or {@code [out, in]} weight. */
    private static double fanIn(Tensor weight) {
        return (double) weight.size() / weight.dim(0);
    }

    private static void uniform(Tensor t, double bound, SplittableRandom random) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) random.nextDouble(-bound, bound);
        }
    }
}
