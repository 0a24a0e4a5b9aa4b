package org.conv4j.bench.report;

import org.conv4j.bench.Shapes;

/**
 * One engine's measured time for one shape, pass and thread count: the median over measurement
 * iterations, and the bytes allocated per call ({@code NaN} when run without {@code -prof gc}).
 */
public record ConvResult(String shape, String pass, String engine, int threads, double seconds, double allocBytes) {

    /** GFLOP/s of this pass: the shape's flops over the median time. */
    public double gflops() {
        return Shapes.byName(shape).flops() / seconds / 1e9;
    }
}
