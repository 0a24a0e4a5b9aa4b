package org.conv4j.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks {@code 0..tasks-1} on up to {@link ConvEngines#threads()} threads: the calling
 * thread plus daemon workers that live as long as the JVM (so per-thread workspaces in
 * {@link ThreadLocal}s are reused across calls). Tasks are handed out in shrinking runs (guided), so uneven tasks
 * balance themselves, and the caller always works too, so a call finishes even when no worker is free.
 *
 * <p>Why not a {@code ForkJoinPool}: a training step is a chain of parallel loops of 20-500 us each, and
 * a parked pool thread takes tens of microseconds to wake, during which the caller works alone. Like
 * OpenMP runtimes, a worker here spins for {@link #SPIN_NANOS} after its last task before it parks, so
 * the next loop of the same step finds it awake.
 */
public final class Parallel {
    /** System property: microseconds an idle worker polls for the next loop before parking (0: park at once). */
    public static final String SPIN_PROPERTY = "conv4j.spinMicros";
    /**
     * How long an idle worker polls for the next loop before parking: by default 200 us, longer than the gaps
     * between the layers of a training step (measured, LeNet-5 step on 2 threads: 2.9 ms with a parking pool,
     * 2.2 ms with this). On a machine whose cores are busy with other work, spinning takes time from it:
     * there {@code -Dconv4j.spinMicros=0} is the better choice.
     */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong(SPIN_PROPERTY, 200)));

    /** Worker slots, started on first use; a loop on T threads uses slots 0..T-2 (those idle at the time). */
    private static final int MAX_WORKERS = 255;

    private static final AtomicReferenceArray<Worker> WORKERS = new AtomicReferenceArray<>(MAX_WORKERS);

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
        int helpersWanted = Math.min(tasks, maxThreads) - 1;
        // a worker calling in again (a nested loop) runs its part alone: it cannot wait for its peers
        if (helpersWanted <= 0 || Thread.currentThread() instanceof Worker) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        Job job = new Job(tasks, helpersWanted + 1, body);
        for (int w = 0; w < Math.min(helpersWanted, MAX_WORKERS); w++) {
            worker(w).offer(job);
        }
        job.work();
        job.awaitHelpers();
        job.rethrow();
    }

    private static Worker worker(int index) {
        Worker w = WORKERS.get(index);
        if (w == null) {
            synchronized (WORKERS) {
                w = WORKERS.get(index);
                if (w == null) {
                    w = new Worker(index);
                    w.start();
                    WORKERS.set(index, w);
                }
            }
        }
        return w;
    }

    /** One parallel loop: the task counter, the helpers still in it, and the first failure. */
    private static final class Job {
        private final int tasks;
        /** A run takes the remaining tasks divided by this (twice the threads). */
        private final int runDivisor;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger helpers = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Job(int tasks, int threads, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
            this.runDivisor = 2 * threads;
        }

        /** Takes tasks until none is left; after a failure the remaining tasks are skipped. */
        /**
         * Takes runs of tasks until none is left, guided-style: a run is the remaining tasks divided by
         * twice the threads (at least one), so a loop of hundreds of tiny tasks (a pooling layer's planes)
         * costs a few hand-outs instead of one contended counter update each, while the last runs are
         * single tasks that even out the threads. After a failure the remaining tasks are skipped.
         */
        void work() {
            try {
                while (failure.get() == null) {
                    int start = next.get();
                    if (start >= tasks) {
                        return;
                    }
                    int end = start + Math.max(1, (tasks - start) / runDivisor);
                    if (!next.compareAndSet(start, end)) {
                        continue;
                    }
                    for (int i = start; i < end; i++) {
                        body.accept(i);
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        void helperDone() {
            if (helpers.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        void awaitHelpers() {
            long start = System.nanoTime();
            while (helpers.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 50_000);
                }
            }
        }

        void rethrow() {
            Throwable e = failure.get();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A daemon thread that runs the jobs handed to it, spinning briefly between jobs before it parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Job> inbox = new AtomicReference<>();
        private final AtomicInteger idle = new AtomicInteger(1);
        private volatile boolean parked;
        /** Workers beyond the cores (more threads asked for than there are) park at once: spinning would take a core. */
        private final long spinNanos;

        Worker(int index) {
            super("conv4j-worker-" + index);
            setDaemon(true);
            spinNanos = index + 1 < Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0;
        }

        /** Hands {@code job} to this worker if it is idle (it then counts as one of the job's helpers). */
        void offer(Job job) {
            if (!idle.compareAndSet(1, 0)) {
                return;
            }
            job.helpers.incrementAndGet();
            inbox.set(job);
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Job job = inbox.getAndSet(null);
                if (job != null) {
                    job.work();
                    idle.set(1);
                    job.helperDone();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (inbox.get() == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
