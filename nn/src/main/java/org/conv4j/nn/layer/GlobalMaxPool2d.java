package org.conv4j.nn.layer;

import org.conv4j.core.Pool2dSpec;

/** Global max pooling: {@code [N, C, H, W] -> [N, C, 1, 1]} (PyTorch's {@code AdaptiveMaxPool2d(1)}). */
public final class GlobalMaxPool2d extends Pool {
    public GlobalMaxPool2d() {
        super(true);
    }

    @Override
    Pool2dSpec spec(int[] inputShape) {
        return wholePlane(inputShape);
    }

    @Override
    public String describe() {
        return "GlobalMaxPool2d";
    }
}
