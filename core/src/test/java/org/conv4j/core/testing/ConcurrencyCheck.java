package org.conv4j.core.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;

/**
 * Runs many problems through one engine from many threads at once and checks every result is
 * bit-identical to the same call made alone on one thread.
 */
public final class ConcurrencyCheck {
    private ConcurrencyCheck() {
    }

    /** Asserts that {@code threads} threads, each running every problem {@code rounds} times, get the single-thread results. */
    public static void assertThreadSafe(ConvEngine engine, List<ConvProblem> problems, int threads, int rounds)
            throws Exception {
        List<float[][]> expected = new ArrayList<>();
        for (ConvProblem p : problems) {
            expected.add(runAll(engine, p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        for (int j = 0; j < problems.size(); j++) {
                            int i = (j + offset) % problems.size(); // threads run different problems at once
                            float[][] got = runAll(engine, problems.get(i));
                            for (int pass = 0; pass < got.length; pass++) {
                                if (!Arrays.equals(got[pass], expected.get(i)[pass])) {
                                    return "pass " + pass + " of " + problems.get(i) + " differs under concurrency";
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> f : results) {
                String m = f.get();
                if (m != null) {
                    throw new AssertionError("engine '" + engine.name() + "': " + m);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[][] runAll(ConvEngine engine, ConvProblem p) {
        ConvGeometry g = p.geometry();
        Tensor out = Tensor.zeros(g.outputShape()), dx = Tensor.zeros(g.inputShape()), dw = Tensor.zeros(g.weightShape());
        Tensor db = Tensor.zeros(g.k());
        engine.forward(p.input(), p.weight(), p.bias(), g.spec(), out);
        engine.backwardInput(p.gradOutput(), p.weight(), g.spec(), dx);
        engine.backwardWeight(p.input(), p.gradOutput(), g.spec(), dw, db);
        return new float[][] {out.data(), dx.data(), dw.data(), db.data()};
    }
}
