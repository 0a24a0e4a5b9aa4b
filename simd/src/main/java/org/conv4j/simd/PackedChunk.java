package org.conv4j.simd;

import java.util.Arrays;
import org.conv4j.core.Parallel;

/**
 * A chunk of {@code images} source images of a {@link ConvPlan}, packed channel after channel in
 * {@link PlaneLayout} order into {@code data}, followed by a zeroed margin wide enough for a register
 * tile that starts at the last position and reaches the farthest tap.
 *
 * @param taps offset of each tap {@code r*S + s} within a channel
 */
record PackedChunk(PlaneLayout layout, int[] taps, float[] data) {

    /** Packed floats of one image: for choosing how many images a chunk holds. */
    static int floatsPerImage(ConvPlan plan) {
        return plan.srcChannels() * PlaneLayout.forPlan(plan, 1).channelStride();
    }

    /** Packs images {@code [n0, n0 + images)} of {@code src} into {@code buffer} (grown if needed), one channel per task. */
    static PackedChunk pack(ConvPlan plan, float[] src, int n0, int images, float[] buffer, int margin, int threads) {
        return pack(plan, PlaneLayout.forPlan(plan, images), src, n0, images, buffer, margin, threads);
    }

    /** {@link #pack} in {@code layout}, which must be a layout of {@code images} images of {@code plan}'s source. */
    static PackedChunk pack(ConvPlan plan, PlaneLayout layout, float[] src, int n0, int images, float[] buffer,
                            int margin, int threads) {
        int[] taps = plan.tapOffsets(layout);
        int maxTap = Arrays.stream(taps).max().orElse(0);
        int chStride = layout.channelStride();
        int channels = plan.srcChannels();
        int end = channels * chStride;
        float[] x = Workspace.grow(buffer, end + maxTap + margin);
        Arrays.fill(x, end, end + maxTap + margin, 0f);
        int srcPlane = plan.srcH() * plan.srcW();
        Parallel.forEach(channels, threads, c -> layout.pack(src, (n0 * channels + c) * srcPlane, channels * srcPlane,
                plan.srcH(), plan.srcW(), plan.upH(), plan.upW(), plan.top(), plan.left(), x, c * chStride));
        return new PackedChunk(layout, taps, x);
    }
}
