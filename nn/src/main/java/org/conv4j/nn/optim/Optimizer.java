package org.conv4j.nn.optim;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Parameter;

/**
 * Updates parameters in place from their gradients. Per-parameter state (momentum, moment estimates) is
 * created on the first step and exported by name ({@code <parameter>.<slot>}, e.g.
 * {@code conv1.weight.exp_avg}) so a checkpoint can resume it exactly.
 */
public abstract sealed class Optimizer permits Sgd, Adam {
    private final String[] slotNames;
    private final Map<Parameter, Tensor[]> slots = new IdentityHashMap<>();
    private final Map<String, Tensor> named = new LinkedHashMap<>();
    private Map<String, Tensor> pending = Map.of();
    private long steps;

    Optimizer(String... slotNames) {
        this.slotNames = slotNames;
    }

    /** Short name, e.g. {@code sgd}. */
    public abstract String name();

    /** Hyper-parameters other than the learning rate, for checkpoints and logs. */
    public abstract Map<String, Double> hyperParameters();

    /** Applies one update with learning rate {@code lr} to every parameter. */
    public final void step(Map<String, Parameter> parameters, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr: expected a finite learning rate >= 0, got " + lr);
        }
        steps++;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            Tensor[] state = slots.get(p);
            if (state == null) {
                state = createState(e.getKey(), p);
            }
            update(p.value().data(), p.grad().data(), state, (float) lr, steps);
        }
    }

    /** One parameter's update; {@code step} counts from 1. */
    abstract void update(float[] w, float[] g, Tensor[] state, float lr, long step);

    /** Steps taken so far (restored by {@link #loadState}). */
    public final long steps() {
        return steps;
    }

    /** The state tensors by name (live, not copies). */
    public final Map<String, Tensor> state() {
        return java.util.Collections.unmodifiableMap(named);
    }

    /** Restores state saved by {@link #state()} and {@link #steps()}; tensors are checked when first used. */
    public final void loadState(Map<String, Tensor> state, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected >= 0, got " + steps);
        }
        this.pending = Map.copyOf(state);
        this.steps = steps;
        slots.clear();
        named.clear();
    }

    private Tensor[] createState(String name, Parameter p) {
        Tensor[] state = new Tensor[slotNames.length];
        int[] shape = p.value().shape();
        for (int i = 0; i < slotNames.length; i++) {
            String key = name + "." + slotNames[i];
            Tensor saved = pending.get(key);
            if (saved == null && !pending.isEmpty()) {
                throw new IllegalArgumentException("optimizer state: expected an entry '" + key + "', got none");
            }
            if (saved != null && !saved.hasShape(shape)) {
                throw new IllegalArgumentException("optimizer state '" + key + "': expected shape "
                        + Arrays.toString(shape) + ", got " + Arrays.toString(saved.shape()));
            }
            state[i] = saved == null ? Tensor.zeros(shape) : saved.copy();
            named.put(key, state[i]);
        }
        slots.put(p, state);
        return state;
    }
}
