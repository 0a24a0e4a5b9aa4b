package org.conv4j.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;

/**
 * A seeded generator of valid convolution problems covering every spec parameter: batch,
 * channels, groups (depthwise included), kernel sizes, strides, asymmetric padding, dilation,
 * with and without bias; plus {@link #edgeCases()}. The same seed gives the same problems.
 */
public final class ConvProblemGenerator {

    /** Bounds of the generated problems. {@code maxExtraSize} is how far H and W go past the smallest valid size. */
    public record Limits(int maxBatch, int maxGroups, int maxChannelsPerGroup, int maxKernel, int maxStride, int maxPad,
                         int maxDilation, int maxExtraSize) {
        /** Small problems for exhaustive comparisons with the naive engine (fast, every parameter). */
        public static final Limits SMALL = new Limits(3, 4, 4, 5, 3, 3, 3, 12);
        /** Wider rows and more channels, so vector kernels meet full vectors and tails of every length. */
        public static final Limits WIDE = new Limits(2, 3, 9, 5, 3, 3, 2, 70);
    }

    private final SplittableRandom rnd;
    private final Limits limits;

    public ConvProblemGenerator(long seed) {
        this(seed, Limits.SMALL);
    }

    public ConvProblemGenerator(long seed, Limits limits) {
        this.rnd = new SplittableRandom(seed);
        this.limits = limits;
    }

    /** The next random problem. */
    public ConvProblem next() {
        int groups = switch (rnd.nextInt(4)) {
            case 0, 1 -> 1;
            case 2 -> 1 + rnd.nextInt(limits.maxGroups());
            default -> -1; // depthwise, decided once C is known
        };
        int cg = 1 + rnd.nextInt(limits.maxChannelsPerGroup());
        int kg = 1 + rnd.nextInt(limits.maxChannelsPerGroup());
        if (groups == -1) { // depthwise: one input channel per group, a channel multiplier of 1 or 2
            groups = 1 + rnd.nextInt(Math.max(1, limits.maxGroups() * 2));
            cg = 1;
            kg = 1 + rnd.nextInt(2);
        }
        int r = 1 + rnd.nextInt(limits.maxKernel());
        int s = 1 + rnd.nextInt(limits.maxKernel());
        int sh = 1 + rnd.nextInt(limits.maxStride());
        int sw = 1 + rnd.nextInt(limits.maxStride());
        int dh = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(limits.maxDilation()) : 1;
        int dw = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(limits.maxDilation()) : 1;
        int[] pad = new int[4];
        if (rnd.nextInt(3) > 0) {
            for (int i = 0; i < 4; i++) {
                pad[i] = rnd.nextInt(limits.maxPad() + 1);
            }
        }
        int h = size(r, dh, pad[0] + pad[1]);
        int w = size(s, dw, pad[2] + pad[3]);
        Conv2dSpec spec = new Conv2dSpec(sh, sw, pad[0], pad[1], pad[2], pad[3], dh, dw, groups);
        int n = 1 + rnd.nextInt(limits.maxBatch());
        return new ConvProblem(n, cg * groups, h, w, kg * groups, r, s, spec, rnd.nextBoolean(), rnd.nextLong());
    }

    /** An input extent at which the dilated kernel fits the padded input, plus a random extra. */
    private int size(int kernel, int dilation, int pads) {
        int min = Math.max(1, dilation * (kernel - 1) + 1 - pads);
        return min + rnd.nextInt(limits.maxExtraSize() + 1);
    }

    /** {@code count} problems from this generator. */
    public List<ConvProblem> next(int count) {
        List<ConvProblem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next());
        }
        return out;
    }

    /** The corner cases every engine must get right, with and without bias. */
    public static List<ConvProblem> edgeCases() {
        List<ConvProblem> out = new ArrayList<>();
        long seed = 0x5eed;
        for (boolean bias : new boolean[] {false, true}) {
            // 1x1 kernel, one pixel, one channel
            out.add(new ConvProblem(1, 1, 1, 1, 1, 1, 1, Conv2dSpec.DEFAULT, bias, seed++));
            // 1x1 convolution mixing channels (the lecture's "1-d convolution")
            out.add(new ConvProblem(2, 5, 3, 4, 3, 1, 1, Conv2dSpec.DEFAULT, bias, seed++));
            // kernel equal to the input: one output pixel (a fully-connected layer)
            out.add(new ConvProblem(3, 4, 5, 6, 7, 5, 6, Conv2dSpec.DEFAULT, bias, seed++));
            // kernel equal to the padded input
            out.add(new ConvProblem(1, 2, 3, 2, 2, 5, 4, Conv2dSpec.of(1, 1), bias, seed++));
            // stride larger than the kernel: some input pixels are never read
            out.add(new ConvProblem(2, 3, 11, 9, 2, 2, 2, Conv2dSpec.of(5, 0), bias, seed++));
            // one channel, one pixel, padding all round: the output sees only padding at the border
            out.add(new ConvProblem(1, 1, 1, 1, 2, 3, 3, Conv2dSpec.of(1, 1), bias, seed++));
            // depthwise 3x3 with asymmetric padding and stride 2
            out.add(new ConvProblem(2, 6, 7, 8, 6, 3, 3, new Conv2dSpec(2, 2, 1, 0, 0, 1, 1, 1, 6), bias, seed++));
            // depthwise with channel multiplier 2
            out.add(new ConvProblem(1, 3, 5, 5, 6, 3, 3, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1, 3), bias, seed++));
            // dilated kernel spanning the whole padded input
            out.add(new ConvProblem(1, 2, 4, 5, 3, 3, 3, new Conv2dSpec(1, 1, 1, 1, 1, 0, 2, 2, 1), bias, seed++));
            // strides and dilations differing per axis, asymmetric pads
            out.add(new ConvProblem(2, 4, 9, 13, 4, 2, 3, new Conv2dSpec(2, 3, 0, 2, 3, 1, 3, 1, 2), bias, seed++));
            // a long row: full vectors and a tail
            out.add(new ConvProblem(1, 3, 3, 37, 5, 3, 3, Conv2dSpec.of(1, 1), bias, seed++));
        }
        return out;
    }

    /** A stream of {@code count} problems from {@code seed} with the given limits, then the edge cases. */
    public static Stream<ConvProblem> problems(long seed, int count, Limits limits) {
        return Stream.concat(new ConvProblemGenerator(seed, limits).next(count).stream(), edgeCases().stream());
    }
}
