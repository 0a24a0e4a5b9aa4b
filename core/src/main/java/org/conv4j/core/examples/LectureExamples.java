package org.conv4j.core.examples;

import java.util.List;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.Tensor;

/**
 * The worked examples of the lecture conv4j grew from ("CS/DS 541: Class 10", J. Whitehill),
 * with the part of each output the lecture shows: the known answers every engine is tested
 * against (small integers, so exact in float) and the data of the demos.
 */
public final class LectureExamples {
    private LectureExamples() {
    }

    /** The 8x8 binary image of a "2". */
    public static final float[] DIGIT_TWO = {
        0, 1, 1, 1, 0, 0, 0, 0,
        0, 0, 0, 1, 0, 0, 0, 0,
        0, 1, 1, 1, 0, 0, 0, 0,
        0, 1, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
    };
    /** The 5x3 templates of the digits 0, 1 and 2. */
    public static final float[] TEMPLATE_ZERO = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1};
    public static final float[] TEMPLATE_ONE = {0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0};
    public static final float[] TEMPLATE_TWO = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1};

    /** The 5x5 image and 2x2 filter of the dilated-convolution example. */
    public static final float[] DILATION_IMAGE = {
        1, 9, 5, -2, 4,
        2, 8, 6, 5, 2,
        3, 7, -5, -3, 0,
        2, 3, 8, 1, 8,
        8, 0, 9, -4, 2,
    };
    public static final float[] DILATION_FILTER = {2, 1, -3, 9};

    /** The 4x4 RGB image (R, G, B planes) and 2x2x3 filter of the multi-channel example. */
    public static final float[] RGB_IMAGE = {
        1, 9, 5, -2, 2, 8, 6, 5, 3, 7, -5, -3, 2, 3, 8, 1, // R
        2, 1, 9, 0, -3, 0, -7, 3, 3, 7, 1, 2, 4, 2, 0, 1,  // G
        6, 4, 2, 1, -2, 3, 9, -2, 7, 7, 3, 2, 3, 8, 7, 2,  // B
    };
    public static final float[] RGB_FILTER = {0, 1, 2, -1, 2, 3, 0, 2, 4, 2, -1, 1};

    /**
     * One worked example: a convolution and the part of its output the lecture shows, as flat output
     * indices {@code shownAt} and values {@code shown}. The tensors are fresh copies on each {@link #all()}.
     */
    public record Example(String name, Tensor input, Tensor weight, Conv2dSpec spec, int[] outputShape,
                          int[] shownAt, float[] shown) {
    }

    public static List<Example> all() {
        Tensor digit = Tensor.of(DIGIT_TWO, 1, 1, 8, 8);
        Tensor two = Tensor.of(TEMPLATE_TWO, 1, 1, 5, 3);
        Conv2dSpec padded = Conv2dSpec.builder().pad(2, 2, 1, 1).build();
        return List.of(
                new Example("template matching, no padding", digit, two, Conv2dSpec.DEFAULT, new int[] {1, 1, 4, 6},
                        new int[] {0, 1, 2, 3, 4, 5}, new float[] {6, 11, 6, 3, 0, 0}),
                new Example("template \"0\"", digit, Tensor.of(TEMPLATE_ZERO, 1, 1, 5, 3), Conv2dSpec.DEFAULT,
                        new int[] {1, 1, 4, 6}, new int[] {0, 1, 2}, new float[] {5, 10, 5}),
                new Example("template \"1\"", digit, Tensor.of(TEMPLATE_ONE, 1, 1, 5, 3), Conv2dSpec.DEFAULT,
                        new int[] {1, 1, 4, 6}, new int[] {0, 1, 2}, new float[] {4, 3, 4}),
                new Example("zero padding 2 rows, 1 column", digit, two, padded, new int[] {1, 1, 8, 8},
                        new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new float[] {2, 4, 6, 4, 3, 0, 0, 0}),
                new Example("padding and stride 2", digit, two, padded.toBuilder().stride(2).build(),
                        new int[] {1, 1, 4, 4}, new int[] {0, 1, 2, 4, 5, 6}, new float[] {2, 6, 3, 3, 11, 3}),
                new Example("dilation 2", Tensor.of(DILATION_IMAGE, 1, 1, 5, 5), Tensor.of(DILATION_FILTER, 1, 1, 2, 2),
                        Conv2dSpec.DEFAULT.withDilation(2), new int[] {1, 1, 3, 3}, new int[] {0, 1},
                        new float[] {-47, -32}),
                new Example("1-D convolution", Tensor.of(new float[] {1, 2, -2, 0, 3}, 1, 1, 1, 5),
                        Tensor.of(new float[] {1, 2, 3}, 1, 1, 1, 3), Conv2dSpec.DEFAULT, new int[] {1, 1, 1, 3},
                        new int[] {0, 1, 2}, new float[] {-1, -2, 7}),
                new Example("3-channel RGB", Tensor.of(RGB_IMAGE, 1, 3, 4, 4), Tensor.of(RGB_FILTER, 1, 3, 2, 2),
                        Conv2dSpec.DEFAULT, new int[] {1, 1, 3, 3}, new int[] {0}, new float[] {49}));
    }
}
