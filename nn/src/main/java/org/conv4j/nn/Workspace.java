package org.conv4j.nn;

import org.conv4j.core.Tensor;

/**
 * A layer-owned tensor reused between calls: {@link #get} returns the same tensor while the requested shape
 * repeats. Two slots, because training alternates between two batch sizes at most (full batches and one
 * last partial batch, or training and evaluation batches), so neither evicts the other.
 */
public final class Workspace {
    private Tensor recent;
    private Tensor older;

    /** A tensor of this shape, reused when one was handed out before; contents are whatever was left in it. */
    public Tensor get(int... shape) {
        if (recent != null && recent.hasShape(shape)) {
            return recent;
        }
        if (older != null && older.hasShape(shape)) {
            Tensor t = older;
            older = recent;
            recent = t;
            return t;
        }
        older = recent;
        recent = Tensor.zeros(shape);
        return recent;
    }
}
