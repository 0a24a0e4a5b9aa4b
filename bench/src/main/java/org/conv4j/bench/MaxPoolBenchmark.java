package org.conv4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Max-pool 2x2 stride 2, forward and backward, through the non-allocating {@link Pooling} forms. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xms2g", "-Xmx2g"})
public class MaxPoolBenchmark {
    private static final Pool2dSpec SPEC = Pool2dSpec.of(2, 2);

    /** lenet: LeNet's first pooling layer (64x6x28x28); resnet: a ResNet-sized map (1x64x112x112). */
    @Param({"lenet", "resnet"})
    public String shape;

    @Param({"forward", "backward"})
    public String pass;

    private Tensor input;
    private Tensor output;
    private Tensor gradOutput;
    private Tensor gradInput;
    private boolean forward;

    @Setup(Level.Trial)
    public void setUp() {
        int[] dims = switch (shape) {
            case "lenet" -> new int[] {64, 6, 28, 28};
            case "resnet" -> new int[] {1, 64, 112, 112};
            default -> throw new IllegalArgumentException("shape: expected lenet or resnet, got '" + shape + "'");
        };
        forward = switch (pass) {
            case "forward" -> true;
            case "backward" -> false;
            default -> throw new IllegalArgumentException("pass: expected forward or backward, got '" + pass + "'");
        };
        SplittableRandom random = new SplittableRandom(7);
        input = Tensor.zeros(dims);
        float[] in = input.data();
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextDouble();
        }
        output = Tensor.zeros(SPEC.outputShape(dims));
        gradOutput = Tensor.zeros(output.shape()).fill(1f);
        gradInput = Tensor.zeros(dims);
    }

    @Benchmark
    public Tensor maxPool() {
        if (forward) {
            Pooling.maxForward(input, SPEC, output);
            return output;
        }
        Pooling.maxBackward(input, gradOutput, SPEC, gradInput);
        return gradInput;
    }
}
