package org.conv4j.simd;

/**
 * Scratch arrays reused across calls: one call-level set per thread (packed input, packed weights,
 * packed output gradient) and one task-level array per thread (a register tile's spill or a
 * gradient tile's partial sums). They only grow, so a steady-state call allocates nothing large.
 *
 * <p>The call-level set is claimed for the duration of a call; if the same thread re-enters the
 * engine during that call (a task of an outer parallel loop run while joining), it gets a fresh set
 * instead of overwriting one still being read by the outer call's workers.
 */
final class Workspace {
    private static final ThreadLocal<Workspace> CALL = ThreadLocal.withInitial(Workspace::new);
    /** Task-level slots: {@link #RESULTS} for kernel results, {@link #PACKED} for a task's own packed input, {@link #WEIGHTS} for its packed weights. */
    static final int RESULTS = 0, PACKED = 1, WEIGHTS = 2;
    private static final ThreadLocal<float[][]> TASK = ThreadLocal.withInitial(() -> new float[3][0]);

    private boolean inUse;
    float[] input = new float[0];
    float[] weights = new float[0];
    float[] gradOutput = new float[0];

    private Workspace() {
    }

    /** This thread's call-level workspace, or a fresh one if it is already in use further up the stack. */
    static Workspace acquire() {
        Workspace ws = CALL.get();
        if (ws.inUse) {
            ws = new Workspace();
        }
        ws.inUse = true;
        return ws;
    }

    void release() {
        inUse = false;
    }

    /** This thread's task-level scratch in {@code slot}, at least {@code size} floats; only valid until the task returns. */
    static float[] task(int slot, int size) {
        float[][] holder = TASK.get();
        if (holder[slot].length < size) {
            holder[slot] = new float[size];
        }
        return holder[slot];
    }

    /** {@code a} if it holds {@code size} floats, else a new array. Contents are not kept. */
    static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }
}
