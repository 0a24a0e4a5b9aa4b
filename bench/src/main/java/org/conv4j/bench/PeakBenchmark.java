package org.conv4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's FP32 fused-multiply-add peak, measured in the same run as the engines so every result
 * can be shown as a fraction of it: 16 independent accumulator chains of {@code c = c * a + b}
 * in vector registers. The secondary metric {@code flops} is FLOP/s (2 per lane per FMA), summed over
 * JMH threads (run with {@code -t N} for the N-core peak).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakBenchmark {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /**
     * Independent FMA chains: an FMA has about 4 cycles latency and up to 2 issue ports on AVX-512
     * Xeons, so at least 8 must be in flight; 16 covers slower parts and, with the two operands,
     * still fits in the 32 vector registers without spilling.
     */
    static final int CHAINS = 16;
    /** FMAs per chain per call: long enough that the loop overhead and the final reduction are noise. */
    static final int STEPS = 4096;
    /** FLOPs of one call: 2 (multiply and add) per lane per FMA. */
    static final long FLOPS_PER_CALL = 2L * SPECIES.length() * CHAINS * STEPS;

    /** Fields, not constants, so the JIT cannot fold the chains away; c converges to b/(1-a) = 1. */
    private float scale = 0.999f;
    private float offset = 0.001f;
    private final float[] start = new float[CHAINS];

    /** Reported by JMH as the secondary metric {@code flops}, per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counter {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    @Setup
    public void setUp() {
        for (int i = 0; i < CHAINS; i++) {
            start[i] = i / (float) CHAINS;
        }
    }

    /** 16 chains written out: an array of vectors would box them and leave the registers. */
    @Benchmark
    public float fma(Counter counter) {
        FloatVector a = FloatVector.broadcast(SPECIES, scale);
        FloatVector b = FloatVector.broadcast(SPECIES, offset);
        FloatVector c0 = FloatVector.broadcast(SPECIES, start[0]);
        FloatVector c1 = FloatVector.broadcast(SPECIES, start[1]);
        FloatVector c2 = FloatVector.broadcast(SPECIES, start[2]);
        FloatVector c3 = FloatVector.broadcast(SPECIES, start[3]);
        FloatVector c4 = FloatVector.broadcast(SPECIES, start[4]);
        FloatVector c5 = FloatVector.broadcast(SPECIES, start[5]);
        FloatVector c6 = FloatVector.broadcast(SPECIES, start[6]);
        FloatVector c7 = FloatVector.broadcast(SPECIES, start[7]);
        FloatVector c8 = FloatVector.broadcast(SPECIES, start[8]);
        FloatVector c9 = FloatVector.broadcast(SPECIES, start[9]);
        FloatVector c10 = FloatVector.broadcast(SPECIES, start[10]);
        FloatVector c11 = FloatVector.broadcast(SPECIES, start[11]);
        FloatVector c12 = FloatVector.broadcast(SPECIES, start[12]);
        FloatVector c13 = FloatVector.broadcast(SPECIES, start[13]);
        FloatVector c14 = FloatVector.broadcast(SPECIES, start[14]);
        FloatVector c15 = FloatVector.broadcast(SPECIES, start[15]);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c12 = c12.fma(a, b);
            c13 = c13.fma(a, b);
            c14 = c14.fma(a, b);
            c15 = c15.fma(a, b);
        }
        counter.flops += FLOPS_PER_CALL;
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15).reduceLanes(VectorOperators.ADD);
    }
}
