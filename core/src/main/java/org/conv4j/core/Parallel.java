package org.conv4j.core;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks {@code 0..tasks-1} on up to {@link ConvEngines#threads()} threads: the
 * calling thread plus workers of one shared daemon pool. Tasks are handed out one at a time, so
 * uneven tasks balance themselves. Engines keep per-thread workspaces in {@link ThreadLocal}s; the
 * pool's threads live as long as the JVM, so those workspaces are reused across calls.
 */
public final class Parallel {
    private static final ForkJoinPool POOL = new ForkJoinPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("conv4j-worker-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            },
            null, false);

    private Parallel() {
    }

    /** Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)} on up to {@link ConvEngines#threads()} threads. */
    public static void forEach(int tasks, IntConsumer body) {
        forEach(tasks, ConvEngines.threads(), body);
    }

    /** Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)} on up to {@code maxThreads} threads. */
    public static void forEach(int tasks, int maxThreads, IntConsumer body) {
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks: expected >= 0, got " + tasks);
        }
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads: expected >= 1, got " + maxThreads);
        }
        int threads = Math.min(tasks, maxThreads);
        if (threads <= 1) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                body.accept(i);
            }
        };
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[threads - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = POOL.submit(worker);
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (Throwable e) {
            failure = e;
        }
        for (ForkJoinTask<?> h : helpers) {
            try {
                h.join();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
