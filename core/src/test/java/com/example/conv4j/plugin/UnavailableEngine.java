package com.example.conv4j.plugin;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.Tensor;

/** A plugin whose hardware is missing: listed by {@code all()}, never selected. */
public final class UnavailableEngine implements ConvEngine {
    @Override public String name() { return "ghost"; }
    @Override public int priority() { return 2000; }
    @Override public boolean isAvailable() { return false; }

    @Override
    public void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        throw new IllegalStateException("not available");
    }

    @Override
    public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        throw new IllegalStateException("not available");
    }

    @Override
    public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
        throw new IllegalStateException("not available");
    }
}
