package org.conv4j.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Init;
import org.conv4j.nn.Residual;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.DigitsCsv;
import org.conv4j.nn.data.MiniBatches;
import org.conv4j.nn.layer.BatchNorm2d;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.layer.Dropout;
import org.conv4j.nn.layer.Flatten;
import org.conv4j.nn.layer.GlobalAvgPool2d;
import org.conv4j.nn.layer.Linear;
import org.conv4j.nn.layer.MaxPool2d;
import org.conv4j.nn.layer.ReLU;
import org.conv4j.nn.optim.Adam;
import org.conv4j.nn.optim.LrSchedule;
import org.conv4j.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingTest {

    /** Counts the bytes the calling thread allocates inside engine calls, so the test can leave them out. */
    static final class MeasuredEngine implements ConvEngine {
        private final ConvEngine inner = new NaiveConvEngine();
        private final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long inside;

        private long now() {
            return mx.getCurrentThreadAllocatedBytes();
        }

        @Override
        public String name() {
            return "measured";
        }

        @Override
        public int priority() {
            return -1;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public void forward(Tensor x, Tensor w, Tensor b, Conv2dSpec s, Tensor y) {
            long t = now();
            inner.forward(x, w, b, s, y);
            inside += now() - t;
        }

        @Override
        public void backwardInput(Tensor dy, Tensor w, Conv2dSpec s, Tensor dx) {
            long t = now();
            inner.backwardInput(dy, w, s, dx);
            inside += now() - t;
        }

        @Override
        public void backwardWeight(Tensor x, Tensor dy, Conv2dSpec s, Tensor dw, Tensor db) {
            long t = now();
            inner.backwardWeight(x, dy, s, dw, db);
            inside += now() - t;
        }
    }

    @Test
    void aSteadyStateTrainingStepAllocatesNoTensors() {
        String saved = System.getProperty("conv4j.threads");
        System.setProperty("conv4j.threads", "1"); // everything on this thread, where allocation is counted
        try {
            long small = bytesPerStep(128), large = bytesPerStep(512);
            // a per-batch tensor would grow with the batch: from 128 to 512 the smallest one here (the logits)
            // grows by 15 KiB, the activations by 768 KiB. What remains are small objects: shape arrays and
            // lambdas (fixed per step), and, depending on the JIT's inlining decisions in a long-running JVM,
            // boxed vectors where a vector kernel call was not inlined (per plane: measured up to 1.8 KiB more
            // at batch 512 when run after the other test classes). The bound separates the two by a factor 4.
            assertTrue(large < 8192, "allocated " + large + " bytes per step outside the engine at batch 512");
            assertTrue(Math.abs(large - small) < 4096, "allocation grows with the batch like a tensor: " + small + " -> " + large);
        } finally {
            restore("conv4j.threads", saved);
        }
    }

    /** Bytes allocated per training step in the second epoch, outside the convolution engine. */
    private static long bytesPerStep(int batch) {
        MeasuredEngine engine = new MeasuredEngine();
        Sequential net = new Sequential()
                .add("conv1", new Conv2d(1, 8, 3, 3, Conv2dSpec.same(3), false, engine))
                .add("bn1", new BatchNorm2d(8))
                .add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2))
                .add("block", new Residual(new Sequential().add("bn", new BatchNorm2d(8)).add("relu", new ReLU()), null, true))
                .add("gap", new GlobalAvgPool2d())
                .add("flatten", new Flatten())
                .add("fc1", new Linear(8, 32))
                .add("drop", new Dropout(0.25, 1))
                .add("fc2", new Linear(32, 10));
        Init.HE.apply(net, 1);
        Dataset digits = DigitsCsv.embedded();
        MiniBatches batches = new MiniBatches(digits, batch, true, 1);
        Trainer trainer = new Trainer(net, new Adam(), LrSchedule.constant(1e-3));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // the first epochs warm up: buffers for full and last batches, optimiser state, and the JIT (interpreted
        // Vector API code allocates its vectors); the least of several later epochs is the steady state
        long least = Long.MAX_VALUE;
        for (int epoch = 0; epoch < 12; epoch++) {
            engine.inside = 0;
            long before = mx.getCurrentThreadAllocatedBytes();
            trainer.trainEpoch(batches, epoch, null);
            long perStep = (mx.getCurrentThreadAllocatedBytes() - before - engine.inside) / batches.count();
            if (epoch >= 4) {
                least = Math.min(least, perStep);
            }
        }
        return least;
    }

    @ParameterizedTest(name = "{0} engine, {1} thread(s)")
    @CsvSource({"naive, 1", "im2col, 1", "simd, 1", "simd, 2"})
    void sameSeedSameWeights(String engine, int threads) {
        // the same seed gives the same weights bit for bit on a given engine and thread count; the first run is
        // partly interpreted and the second compiled, so an engine whose results changed with the JIT tier (a
        // vector reduction in unspecified lane order did) fails here
        String saved = System.getProperty("conv4j.threads");
        System.setProperty("conv4j.threads", Integer.toString(threads));
        try {
            float[][] runs = new float[2][];
            for (int r = 0; r < 2; r++) {
                Dataset d = DigitsCsv.embedded().subset("s", java.util.stream.IntStream.range(0, 300).toArray());
                Sequential net = digitsCnnOn(engine, d, 5);
                new Trainer(net, new Sgd(0.9, 1e-4), LrSchedule.constant(0.05)).trainEpoch(new MiniBatches(d, 32, true, 5), 0, null);
                runs[r] = net.parameters().get("fc1.weight").value().data().clone();
            }
            assertArrayEquals(runs[0], runs[1]);
        } finally {
            restore("conv4j.threads", saved);
        }
    }

    @Test
    void layerResultsDoNotChangeWhenTheJitCompiles() {
        // the first, interpreted calls must give the bits of later, compiled ones (a vector reduction in
        // unspecified lane order did not): otherwise a resumed run differs from an uninterrupted one
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        Linear fc = new Linear(100, 24);
        BatchNorm2d bn = new BatchNorm2d(4);
        Tensor x = Tensor.zeros(16, 100), x4 = Tensor.zeros(16, 4, 5, 5), dy = Tensor.zeros(16, 24), dy4 = Tensor.zeros(16, 4, 5, 5);
        for (Tensor t : new Tensor[] {fc.weight().value(), x, x4, dy, dy4}) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (float) r.nextGaussian();
            }
        }
        float[][] cold = {fc.forward(x).data().clone(), fc.backward(dy).data().clone(), fc.weight().grad().data().clone(),
            bn.forward(x4).data().clone(), bn.backward(dy4).data().clone()};
        for (int it = 0; it < 3000; it++) {
            float[][] now = {fc.forward(x).data(), fc.backward(dy).data(), fc.weight().grad().data(), bn.forward(x4).data(),
                bn.backward(dy4).data()};
            for (int k = 0; k < cold.length; k++) {
                assertArrayEquals(cold[k], now[k], "result " + k + " changed at call " + it);
            }
        }
    }

    /** Models.build's digits-cnn, with every convolution on the named engine. */
    private static Sequential digitsCnnOn(String engine, Dataset d, long seed) {
        String saved = System.getProperty("conv4j.engine");
        System.setProperty("conv4j.engine", engine);
        try {
            return Models.build("digits-cnn", d.imageShape(), 10, seed);
        } finally {
            restore("conv4j.engine", saved);
        }
    }

    private static void restore(String property, String saved) {
        if (saved == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, saved);
        }
    }

    @Test
    void learnsTheDigits() {
        Dataset[] split = DigitsCsv.embedded().split(0.2, 3);
        double[] ms = split[0].meanAndStd();
        Dataset train = split[0].normalized(ms[0], ms[1]), test = split[1].normalized(ms[0], ms[1]);
        Sequential net = Models.build("digits-cnn", train.imageShape(), 10, 3);
        Trainer trainer = new Trainer(net, new Adam(), LrSchedule.constant(0.01));
        MiniBatches batches = new MiniBatches(train, 32, true, 3);
        for (int e = 0; e < 4; e++) {
            trainer.trainEpoch(batches, e, null);
        }
        double acc = Trainer.evaluate(net, test, 128).accuracy();
        assertTrue(acc > 0.93, "test accuracy after 4 epochs: " + acc);
    }
}
