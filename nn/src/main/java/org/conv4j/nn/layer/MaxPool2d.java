package org.conv4j.nn.layer;

import org.conv4j.core.Pool2dSpec;

/** Max pooling with a fixed window (PyTorch's {@code MaxPool2d}). */
public final class MaxPool2d extends Pool {
    private final Pool2dSpec spec;

    /** A square non-overlapping window: {@code kernel x kernel}, stride {@code kernel}. */
    public MaxPool2d(int kernel) {
        this(Pool2dSpec.of(kernel));
    }

    public MaxPool2d(Pool2dSpec spec) {
        super(true);
        if (spec == null) {
            throw new IllegalArgumentException("spec: expected a Pool2dSpec, got null");
        }
        this.spec = spec;
    }

    @Override
    Pool2dSpec spec(int[] inputShape) {
        return spec;
    }

    @Override
    public String describe() {
        return describe("MaxPool2d", spec);
    }
}
