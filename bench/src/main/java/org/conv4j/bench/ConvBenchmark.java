package org.conv4j.bench;

import java.util.concurrent.TimeUnit;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.NaiveConvEngine;
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

/**
 * Time of one convolution pass, per engine, shape, pass and thread count. GFLOP/s is computed by the
 * report from this time and {@link ConvShape#flops()}.
 *
 * <p>Parallelism is the engine's own (through {@code conv4j.threads}); JMH drives it from one thread.
 * Each parameter combination runs in its own fork, so setting the property in the trial set-up is
 * seen by every call. Run through {@code bench/run}, which skips unavailable engines and gives naive
 * the small shapes only; run directly, such combinations fail their set-up with a message saying so.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xms2g", "-Xmx2g"})
public class ConvBenchmark {
    /** Fixed seed: every engine sees the same operands. */
    private static final long SEED = 0x5EEDL;

    @Param({"naive", "im2col", "simd"})
    public String engine;

    @Param({"lenet-c1", "lenet-c2", "resnet-64", "resnet-128", "resnet-256", "resnet-stem", "bottleneck-1x1",
            "resnet-64-b8", "depthwise", "dilated", "fc"})
    public String shape;

    @Param({"forward", "backwardInput", "backwardWeight"})
    public String pass;

    /** Value of {@code conv4j.threads}: a count, or {@code all} for every available processor. */
    @Param({"1", "all"})
    public String threads;

    private ConvWorkload workload;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(ConvEngines.THREADS_PROPERTY, Integer.toString(BenchThreads.resolve(threads)));
        ConvShape convShape = Shapes.byName(shape);
        ConvEngine convEngine = ConvEngines.named(engine); // throws, naming the available ones, if absent
        if (convEngine.name().equals(NaiveConvEngine.NAME) && !Shapes.naiveRuns(convShape)) {
            throw new IllegalArgumentException("shape: the naive engine runs only shapes up to "
                    + Shapes.NAIVE_MAX_FLOPS / 1e6 + " MFLOP (" + Shapes.names(Shapes.ALL.stream()
                    .filter(Shapes::naiveRuns).toList()) + "), got " + shape);
        }
        workload = new ConvWorkload(convEngine, convShape, Pass.of(pass), SEED);
        workload.run(); // first call outside timing: lets the engine size its per-thread workspaces
    }

    @Benchmark
    public Tensor conv() {
        return workload.run();
    }
}
