package org.conv4j.nn.layer;

/** Global avg pooling: {@code [N, C, H, W] -> [N, C, 1, 1]} (PyTorch's {@code AdaptiveAvgPool2d(1)}). */
public final class GlobalAvgPool2d extends Pool {
    public GlobalAvgPool2d() {
        super(false);
    }

    @Override
    public String describe() {
        return "GlobalAvgPool2d";
    }
}
