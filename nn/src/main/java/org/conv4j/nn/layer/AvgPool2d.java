package org.conv4j.nn.layer;

import org.conv4j.core.Pool2dSpec;

/** Avg pooling with a fixed window (PyTorch's {@code AvgPool2d}). */
public final class AvgPool2d extends Pool {
    private final Pool2dSpec spec;

    /** A square non-overlapping window: {@code kernel x kernel}, stride {@code kernel}. */
    public AvgPool2d(int kernel) {
        this(Pool2dSpec.of(kernel));
    }

    public AvgPool2d(Pool2dSpec spec) {
        super(false);
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
        return describe("AvgPool2d", spec);
    }
}
