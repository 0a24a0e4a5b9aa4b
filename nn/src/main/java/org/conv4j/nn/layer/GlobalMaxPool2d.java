package org.conv4j.nn.layer;

/** Global max pooling: {@code [N, C, H, W] -> [N, C, 1, 1]} (PyTorch's {@code AdaptiveMaxPool2d(1)}). */
public final class GlobalMaxPool2d extends Pool {
    public GlobalMaxPool2d() {
        super(true);
    }

    @Override
    public String describe() {
        return "GlobalMaxPool2d";
    }
}
