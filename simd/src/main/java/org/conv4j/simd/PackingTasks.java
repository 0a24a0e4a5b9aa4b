package org.conv4j.simd;

import java.util.function.IntConsumer;
import org.conv4j.core.Parallel;

/**
 * Runs a packing loop over many small items (channels of a plane, rows of a gradient) in tasks of
 * several items each. A 14x14 channel is ~1 KB of copying, 0.2 us: handed out one at a time to two
 * threads, the shared task counter and the fork/join cost more than the copy (the packing of ResNet's
 * 14x14 weight gradient took 146 us on 2 threads against 85 us on 1).
 */
final class PackingTasks {
    /** Floats a task packs at least (64 KiB): a few microseconds, well above the cost of handing it out. */
    static final int MIN_TASK_FLOATS = 1 << 14;

    private PackingTasks() {
    }

    /** Runs {@code body.accept(i)} for {@code i < items} ({@code floatsPerItem} floats each) on up to {@code threads} threads. */
    static void run(int items, int floatsPerItem, int threads, IntConsumer body) {
        int perTask = Math.max(1, MIN_TASK_FLOATS / Math.max(1, floatsPerItem));
        perTask = Math.min(perTask, Math.max(1, PlaneLayout.ceilDiv(items, threads))); // still one task per thread
        int tasks = PlaneLayout.ceilDiv(items, perTask);
        int size = perTask;
        Parallel.forEach(tasks, threads, task -> {
            for (int i = task * size, end = Math.min(items, i + size); i < end; i++) {
                body.accept(i);
            }
        });
    }
}
