package org.conv4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.conv4j.core.Conv2dSpec;

/** The standard benchmark shapes of issue 6: LeNet, ResNet-18/50 layers, depthwise, dilated, fully connected. */
public final class Shapes {
    public static final ConvShape LENET_C1 = new ConvShape("lenet-c1", "LeNet conv1 64x1x28x28 -> 6@5x5 pad 2",
            64, 1, 28, 28, 6, 5, 5, Conv2dSpec.of(1, 2));
    public static final ConvShape LENET_C2 = new ConvShape("lenet-c2", "LeNet conv2 64x6x14x14 -> 16@5x5",
            64, 6, 14, 14, 16, 5, 5, Conv2dSpec.DEFAULT);
    public static final ConvShape RESNET_64 = new ConvShape("resnet-64", "ResNet 3x3 1x64x56x56 -> 64 pad 1",
            1, 64, 56, 56, 64, 3, 3, Conv2dSpec.of(1, 1));
    public static final ConvShape RESNET_128 = new ConvShape("resnet-128", "ResNet 3x3 1x128x28x28 -> 128 pad 1",
            1, 128, 28, 28, 128, 3, 3, Conv2dSpec.of(1, 1));
    public static final ConvShape RESNET_256 = new ConvShape("resnet-256", "ResNet 3x3 1x256x14x14 -> 256 pad 1",
            1, 256, 14, 14, 256, 3, 3, Conv2dSpec.of(1, 1));
    public static final ConvShape RESNET_STEM = new ConvShape("resnet-stem",
            "ResNet stem 1x3x224x224 -> 64@7x7 stride 2 pad 3", 1, 3, 224, 224, 64, 7, 7, Conv2dSpec.of(2, 3));
    public static final ConvShape BOTTLENECK_1X1 = new ConvShape("bottleneck-1x1",
            "ResNet-50 1x1 1x256x56x56 -> 64", 1, 256, 56, 56, 64, 1, 1, Conv2dSpec.DEFAULT);
    public static final ConvShape RESNET_64_B8 = new ConvShape("resnet-64-b8",
            "ResNet 3x3 8x64x56x56 -> 64 pad 1", 8, 64, 56, 56, 64, 3, 3, Conv2dSpec.of(1, 1));
    public static final ConvShape DEPTHWISE = new ConvShape("depthwise",
            "depthwise 3x3 1x128x56x56 -> 128 pad 1 groups 128", 1, 128, 56, 56, 128, 3, 3,
            Conv2dSpec.of(1, 1).withGroups(128));
    public static final ConvShape DILATED = new ConvShape("dilated", "dilated 3x3 1x64x56x56 -> 64 dilation 2 pad 2",
            1, 64, 56, 56, 64, 3, 3, Conv2dSpec.of(1, 2).withDilation(2));
    public static final ConvShape FC = new ConvShape("fc", "fully connected 64x3136 -> 128 (1x1 on 1x1)",
            64, 3136, 1, 1, 128, 1, 1, Conv2dSpec.DEFAULT);

    /** Every standard shape, in report order. */
    public static final List<ConvShape> ALL = List.of(LENET_C1, LENET_C2, RESNET_64, RESNET_128, RESNET_256,
            RESNET_STEM, BOTTLENECK_1X1, RESNET_64_B8, DEPTHWISE, DILATED, FC);

    /**
     * The naive engine (double-precision reference, a few hundred MFLOP/s at best) only runs shapes up to
     * this many FLOPs per pass: 64 MFLOP keeps one call well under a second, so a full run with naive's
     * warm-up and measurement iterations stays inside the 20-minute budget.
     */
    public static final double NAIVE_MAX_FLOPS = 64e6;

    private Shapes() {
    }

    /** The shape with this name. */
    public static ConvShape byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ConvShape s : ALL) {
            if (s.name().equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("shape: expected one of " + names(ALL) + ", got '" + name + "'");
    }

    /** True when the naive engine is run on this shape (see {@link #NAIVE_MAX_FLOPS}). */
    public static boolean naiveRuns(ConvShape shape) {
        return shape.flops() <= NAIVE_MAX_FLOPS;
    }

    /** Comma-separated names, the form JMH's {@code -p shape=...} takes. */
    public static String names(List<ConvShape> shapes) {
        return shapes.stream().map(ConvShape::name).collect(Collectors.joining(","));
    }
}
