package org.conv4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conv4j.core.Tensor;
import org.conv4j.nn.layer.MaxPool2d;
import org.conv4j.nn.layer.ReLU;

/**
 * Layers applied one after another. Children are named like PyTorch module attributes ({@code conv1},
 * {@code fc1}, or {@code 0, 1, ...} when unnamed), so {@link #parameters()} yields {@code state_dict} names
 * such as {@code conv1.weight}.
 */
public final class Sequential implements Layer {
    private final List<String> names = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private boolean inputGradientNeeded = true;

    public Sequential() {
    }

    /** Children named {@code 0, 1, ...} as in {@code torch.nn.Sequential(...)}. */
    public Sequential(Layer... layers) {
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends a child under its index as name; returns this. */
    public Sequential add(Layer layer) {
        return add(Integer.toString(layers.size()), layer);
    }

    /** Appends a named child; returns this. Names must be unique and free of dots. */
    public Sequential add(String name, Layer layer) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("name: expected a non-empty name without dots, got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (layer == null) {
            throw new IllegalArgumentException("layer: expected a layer for '" + name + "', got null");
        }
        if (names.contains(name)) {
            throw new IllegalArgumentException("name: expected a new child name, got '" + name + "' twice");
        }
        names.add(name);
        layers.add(layer);
        layer.setInputGradientNeeded(layers.size() > 1 || inputGradientNeeded);
        return this;
    }

    /** The children, in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** The children's names, in order. */
    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            try {
                s = layers.get(i).outputShape(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer '" + names.get(i) + "' (" + layers.get(i).describe()
                        + "): " + e.getMessage(), e);
            }
        }
        return s;
    }

    /**
     * Whether children {@code i} and {@code i + 1} are a ReLU and a max pooling, which run pool first:
     * {@code maxpool(relu(x)) = relu(maxpool(x))} because ReLU is monotonic, and the ReLU then touches a
     * quarter of the elements (2x2 pooling). The gradients are the same bit for bit: where a window's maximum
     * is positive both orders route the gradient to the same tap, and where it is not both give zeros (a
     * zero maximum may come out as -0 instead of +0).
     */
    private boolean poolsBeforeRelu(int i) {
        return i + 1 < layers.size() && layers.get(i) instanceof ReLU && layers.get(i + 1) instanceof MaxPool2d;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            if (poolsBeforeRelu(i)) {
                x = layers.get(i + 1).forward(x);
                x = layers.get(i++).forward(x);
            } else {
                x = layers.get(i).forward(x);
            }
        }
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (i > 0 && poolsBeforeRelu(i - 1)) {
                g = layers.get(i - 1).backward(g);
                g = layers.get(i--).backward(g);
            } else {
                g = layers.get(i).backward(g);
            }
        }
        return g;
    }

    @Override
    public void setTraining(boolean training) {
        for (Layer l : layers) {
            l.setTraining(training);
        }
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
        if (!layers.isEmpty()) {
            layers.getFirst().setInputGradientNeeded(needed);
        }
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> all = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            prefixInto(all, names.get(i) + ".", layers.get(i).parameters());
        }
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            prefixInto(all, names.get(i) + ".", layers.get(i).buffers());
        }
        return all;
    }

    @Override
    public String describe() {
        return "Sequential(" + layers.size() + " layers)";
    }

    /** Copies {@code from} into {@code into} with {@code prefix} before each name. */
    static <T> void prefixInto(Map<String, T> into, String prefix, Map<String, T> from) {
        for (Map.Entry<String, T> e : from.entrySet()) {
            into.put(prefix + e.getKey(), e.getValue());
        }
    }
}
