package org.conv4j.im2col;

/**
 * The per-thread buffer a column matrix is lowered into, sized by {@link #BUDGET_FLOATS}.
 *
 * <p>Budget: 1 Mi floats = 4 MiB per thread. Tiles of output pixels are chosen so that
 * {@code rows x tile <= BUDGET_FLOATS} (rows = C/groups·R·S), so the buffer never grows past the
 * budget, except when a single output pixel's column is longer than the budget
 * (C/groups·R·S > 1 Mi), when it holds exactly one column. 4 MiB is large enough that the GEMM
 * sees wide panels (ResNet 3x3 at 256 channels: 455 pixels per tile) and small enough that a
 * thread's lowered tile stays near the 2 MiB L2 rather than streaming an entire image's columns
 * from memory.
 */
final class LoweringWorkspace {
    /** Floats of lowered columns per thread: 4 MiB. */
    static final int BUDGET_FLOATS = 1 << 20;

    private static final ThreadLocal<LoweringWorkspace> PER_THREAD = ThreadLocal.withInitial(LoweringWorkspace::new);

    private float[] buffer = new float[0];

    private LoweringWorkspace() {
    }

    /** This thread's buffer, at least {@code floats} long; grown (only) when a call needs more. */
    static float[] get(int floats) {
        LoweringWorkspace ws = PER_THREAD.get();
        if (ws.buffer.length < floats) {
            ws.buffer = new float[floats];
        }
        return ws.buffer;
    }

    /** Length of this thread's buffer, for tests of the budget. */
    static int capacity() {
        return PER_THREAD.get().buffer.length;
    }

    /** Output pixels per tile for a column matrix of {@code rows} rows over {@code pixels} output pixels. */
    static int tilePixels(int rows, int pixels) {
        return Math.max(1, Math.min(pixels, BUDGET_FLOATS / rows));
    }
}
