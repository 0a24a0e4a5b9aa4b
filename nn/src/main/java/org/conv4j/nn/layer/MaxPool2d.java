package org.conv4j.nn.layer;

import org.conv4j.core.Pool2dSpec;

/** Max pooling with a fixed window (PyTorch's {@code MaxPool2d}). */
public final class MaxPool2d extends Pool {
    /** A square non-overlapping window: {@code kernel x kernel}, stride {@code kernel}. */
    public MaxPool2d(int kernel) {
        this(Pool2dSpec.of(kernel));
    }

    public MaxPool2d(Pool2dSpec spec) {
        super(true, spec);
    }

    @Override
    public String describe() {
        return describeWindow("MaxPool2d");
    }
}
