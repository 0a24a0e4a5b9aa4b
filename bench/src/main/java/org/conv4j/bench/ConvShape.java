package org.conv4j.bench;

import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvGeometry;

/**
 * One benchmarked convolution: input {@code [n, c, h, w]}, {@code k} filters of {@code r x s}, and
 * the spec. The name is what JMH's {@code shape} parameter, the report and the PyTorch script use.
 */
public record ConvShape(String name, String description, int n, int c, int h, int w, int k, int r, int s,
                        Conv2dSpec spec) {

    public ConvShape {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            // JMH splits -p values at commas and the report uses names as table keys
            throw new IllegalArgumentException("name: expected lower-case letters, digits and '-', got " + name);
        }
        if (spec == null) {
            throw new IllegalArgumentException("spec: expected a Conv2dSpec, got null");
        }
        geometryOf(n, c, h, w, k, r, s, spec); // validates the sizes against the spec
    }

    /** The checked geometry (output size included). */
    public ConvGeometry geometry() {
        return geometryOf(n, c, h, w, k, r, s, spec);
    }

    /** Floating-point operations of one pass: 2·N·K·(C/groups)·R·S·OH·OW, the same for all three passes. */
    public double flops() {
        return geometry().flops();
    }

    public int[] inputShape() {
        return new int[] {n, c, h, w};
    }

    public int[] weightShape() {
        return geometry().weightShape();
    }

    public int[] outputShape() {
        return geometry().outputShape();
    }

    private static ConvGeometry geometryOf(int n, int c, int h, int w, int k, int r, int s, Conv2dSpec spec) {
        return ConvGeometry.of(new int[] {n, c, h, w}, new int[] {k, c / spec.groups(), r, s}, spec);
    }
}
