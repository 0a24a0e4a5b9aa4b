package org.conv4j.nn;

import java.util.Arrays;
import org.conv4j.core.Tensor;

/** Shape checks shared by the layers, with messages naming the argument, the expected and the actual shape. */
public final class Shapes {
    private Shapes() {
    }

    /** Throws unless {@code shape} has the given rank; {@code layout} describes it, e.g. {@code [N, C, H, W]}. */
    public static int[] rank(String what, int[] shape, int rank, String layout) {
        if (shape == null || shape.length != rank) {
            throw new IllegalArgumentException(what + ": expected rank " + rank + " " + layout + ", got "
                    + (shape == null ? "null" : "rank " + shape.length + " " + Arrays.toString(shape)));
        }
        return shape;
    }

    /** The shape of a non-null tensor. */
    public static int[] of(String what, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(what + ": expected a tensor, got null");
        }
        return t.shape();
    }

    /** Throws unless the tensor has exactly this shape. */
    public static void expect(String what, Tensor t, int[] shape) {
        if (t == null || !t.hasShape(shape)) {
            throw new IllegalArgumentException(what + ": expected shape " + Arrays.toString(shape) + ", got "
                    + (t == null ? "null" : Arrays.toString(t.shape())));
        }
    }

    /** Product of the extents from {@code from} on. */
    public static int product(int[] shape, int from) {
        int p = 1;
        for (int i = from; i < shape.length; i++) {
            p *= shape[i];
        }
        return p;
    }

    /** {@code [a, b, ...]} without the batch axis. */
    public static String perSample(int[] shape) {
        return Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length));
    }
}
