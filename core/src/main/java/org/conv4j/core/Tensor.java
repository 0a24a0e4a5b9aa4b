package org.conv4j.core;

import java.util.Arrays;

/**
 * A dense float32 tensor of any rank, stored row-major (the last axis varies fastest) in one
 * {@code float[]}. Convolution tensors are NCHW; convolution weights are {@code [K, C/groups, R, S]}
 * (PyTorch's OIHW).
 *
 * <p>The shape is fixed at construction; the data array is shared, not copied, by {@link #wrap}
 * and {@link #data()}, so engines can write results in place without allocating.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** A new tensor of the given shape, filled with zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = checkedShape(shape);
        return new Tensor(new float[(int) elementCount(s)], s);
    }

    /** A tensor over {@code data} (not copied) with the given shape; lengths must agree. */
    public static Tensor wrap(float[] data, int... shape) {
        if (data == null) {
            throw new IllegalArgumentException("data: expected a float array, got null");
        }
        int[] s = checkedShape(shape);
        long n = elementCount(s);
        if (data.length != n) {
            throw new IllegalArgumentException("data: expected length " + n + " for shape "
                    + Arrays.toString(s) + ", got length " + data.length);
        }
        return new Tensor(data, s);
    }

    /** A new tensor holding a copy of {@code values} with the given shape. */
    public static Tensor of(float[] values, int... shape) {
        return wrap(values == null ? null : values.clone(), shape);
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The extent of one axis; a negative axis counts from the end. */
    public int dim(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis: expected -" + shape.length + " <= axis < "
                    + shape.length + " for a rank-" + shape.length + " tensor, got " + axis);
        }
        return shape[a];
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The backing array (not a copy): writes are visible through this tensor. */
    public float[] data() {
        return data;
    }

    /** True when this tensor's shape equals {@code other}. */
    public boolean hasShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** A new tensor with the same shape and a copy of the data. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** A tensor sharing this one's data with another shape of the same element count. */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
    }

    /** Sets every element to {@code value}; returns this tensor. */
    public Tensor fill(float value) {
        Arrays.fill(data, value);
        return this;
    }

    /** The element at the given indices, one per axis. */
    public float get(int... index) {
        return data[offset(index)];
    }

    /** Sets the element at the given indices, one per axis. */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index: expected " + shape.length + " indices, got "
                    + index.length);
        }
        int off = 0;
        for (int a = 0; a < shape.length; a++) {
            if (index[a] < 0 || index[a] >= shape[a]) {
                throw new IllegalArgumentException("index: expected 0 <= index[" + a + "] < " + shape[a]
                        + ", got " + index[a]);
            }
            off = off * shape[a] + index[a];
        }
        return off;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape));
        int show = Math.min(data.length, 16);
        sb.append(" [");
        for (int i = 0; i < show; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        return sb.append(data.length > show ? ", ...]" : "]").toString();
    }

    /** Validates a shape (non-null, every extent at least 1, count within int) and copies it. */
    static int[] checkedShape(int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape: expected an int array, got null");
        }
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 1) {
                throw new IllegalArgumentException("shape: expected every extent >= 1, got "
                        + Arrays.toString(shape) + " (axis " + a + ")");
            }
        }
        long n = elementCount(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape: expected at most " + (Integer.MAX_VALUE - 8)
                    + " elements, got " + Arrays.toString(shape) + " = " + n + " elements");
        }
        return shape.clone();
    }

    /** The product of the extents, saturating at Long.MAX_VALUE instead of overflowing. */
    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyHigh(n, d) != 0 || n * d < 0 ? Long.MAX_VALUE : n * d;
        }
        return n;
    }
}
