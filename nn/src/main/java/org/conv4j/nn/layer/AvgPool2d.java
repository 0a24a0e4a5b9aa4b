package org.conv4j.nn.layer;

import org.conv4j.core.Pool2dSpec;

/** Average pooling with a fixed window (PyTorch's {@code AvgPool2d}). */
public final class AvgPool2d extends Pool {
    /** A square non-overlapping window: {@code kernel x kernel}, stride {@code kernel}. */
    public AvgPool2d(int kernel) {
        this(Pool2dSpec.of(kernel));
    }

    public AvgPool2d(Pool2dSpec spec) {
        super(false, spec);
    }

    @Override
    public String describe() {
        return describeWindow("AvgPool2d");
    }
}
