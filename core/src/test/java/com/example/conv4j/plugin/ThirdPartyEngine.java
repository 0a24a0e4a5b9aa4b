package com.example.conv4j.plugin;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.Tensor;

/**
 * An engine that lives outside conv4j's packages, registered only through this test class path's
 * {@code META-INF/services} entry, as a third-party plugin would be. It outranks every built-in engine.
 *
 * <p>When other modules build in the same reactor, Maven can put core's test-classes directory (and
 * so this registration) on their test class path; the engine is therefore available only while the
 * system property {@value #ENABLE_PROPERTY} is {@code true}, which only core's selection test sets.
 */
public final class ThirdPartyEngine implements ConvEngine {
    /** Set to {@code true} to make this plugin available. */
    public static final String ENABLE_PROPERTY = "conv4j.test.thirdparty";

    private final ConvEngine delegate = new NaiveConvEngine();

    @Override public String name() { return "thirdparty"; }
    @Override public int priority() { return 1000; }
    @Override public boolean isAvailable() { return Boolean.getBoolean(ENABLE_PROPERTY); }

    @Override
    public void forward(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec, Tensor output) {
        delegate.forward(input, weight, bias, spec, output);
    }

    @Override
    public void backwardInput(Tensor gradOutput, Tensor weight, Conv2dSpec spec, Tensor gradInput) {
        delegate.backwardInput(gradOutput, weight, spec, gradInput);
    }

    @Override
    public void backwardWeight(Tensor input, Tensor gradOutput, Conv2dSpec spec, Tensor gradWeight, Tensor gradBias) {
        delegate.backwardWeight(input, gradOutput, spec, gradWeight, gradBias);
    }
}
