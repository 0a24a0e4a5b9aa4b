package org.conv4j.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Parameter;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.loss.SoftmaxCrossEntropy;
import org.conv4j.nn.optim.Sgd;
import org.conv4j.nn.train.Models;
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
 * One whole LeNet-5 training step on a batch of 64 28x28 images: forward, softmax cross-entropy,
 * backward, SGD update. With {@code -prof gc} its bytes per step show whether the layers reuse their
 * tensors (the issue asks for no per-batch tensors in a step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xms2g", "-Xmx2g"})
public class LeNetStepBenchmark {
    private static final int BATCH = 64;
    private static final int CLASSES = 10;

    @Param({"naive", "im2col", "simd"})
    public String engine;

    @Param({"1", "all"})
    public String threads;

    private Sequential model;
    private Map<String, Parameter> parameters;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Sgd sgd = new Sgd(0.9, 0);
    private Tensor images;
    private int[] labels;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(ConvEngines.THREADS_PROPERTY, Integer.toString(BenchThreads.resolve(threads)));
        System.setProperty(ConvEngines.ENGINE_PROPERTY, ConvEngines.named(engine).name()); // Conv2d reads it
        model = Models.build("lenet5", new int[] {1, 28, 28}, CLASSES, 42);
        model.setTraining(true);
        model.setInputGradientNeeded(false);
        parameters = model.parameters();
        SplittableRandom random = new SplittableRandom(1);
        images = Tensor.zeros(BATCH, 1, 28, 28);
        float[] pixels = images.data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        labels = random.ints(BATCH, 0, CLASSES).toArray();
        step(); // sizes every layer's buffers outside timing
    }

    /** One step; returns the loss so the work cannot be dropped. */
    @Benchmark
    public double step() {
        double l = loss.forward(model.forward(images), labels);
        model.backward(loss.gradient());
        sgd.step(parameters, 0.01);
        return l;
    }
}
