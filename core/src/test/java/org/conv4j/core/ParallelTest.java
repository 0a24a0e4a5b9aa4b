package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParallelTest {

    @ParameterizedTest(name = "{0} tasks on {1} threads")
    @CsvSource({"0, 1", "0, 2", "1, 2", "2, 2", "3, 2", "1000, 2", "1000, 3", "7, 8", "500, 1"})
    void runsEveryTaskExactlyOnce(int tasks, int threads) {
        for (int round = 0; round < 200; round++) { // repeated, so workers are met spinning, parked and waking
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(tasks, 1));
            Parallel.forEach(tasks, threads, runs::incrementAndGet);
            for (int i = 0; i < tasks; i++) {
                assertEquals(1, runs.get(i), "task " + i + " in round " + round);
            }
        }
    }

    @Test
    void usesMoreThanOneThreadWhenAsked() throws InterruptedException {
        // two tasks that wait for each other can only finish if they run at the same time
        CountDownLatch both = new CountDownLatch(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Parallel.forEach(2, 2, i -> {
            threads.add(Thread.currentThread());
            both.countDown();
            try {
                assertTrue(both.await(10, TimeUnit.SECONDS), "task " + i + " ran alone");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(2, threads.size());
    }

    @Test
    void aFailingTaskIsRethrownToTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int round = 0; round < 50; round++) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> Parallel.forEach(100, 2, i -> {
                        if (i == 37) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
        }
        // and the pool still works afterwards
        AtomicIntegerArray runs = new AtomicIntegerArray(64);
        Parallel.forEach(64, 2, runs::incrementAndGet);
        for (int i = 0; i < 64; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void nestedAndConcurrentLoopsFinish() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] f = new Future<?>[4];
            for (int c = 0; c < f.length; c++) {
                f[c] = callers.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        AtomicIntegerArray runs = new AtomicIntegerArray(12 * 10);
                        Parallel.forEach(12, 2, outer -> Parallel.forEach(10, 2, inner -> runs.incrementAndGet(outer * 10 + inner)));
                        for (int i = 0; i < runs.length(); i++) {
                            assertEquals(1, runs.get(i));
                        }
                    }
                    return null;
                });
            }
            for (Future<?> x : f) {
                x.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forEach(-1, 2, i -> { }));
        assertTrue(e.getMessage().contains("tasks") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Parallel.forEach(3, 0, i -> { }));
        assertTrue(e.getMessage().contains("maxThreads") && e.getMessage().contains("0"), e.getMessage());
    }
}
