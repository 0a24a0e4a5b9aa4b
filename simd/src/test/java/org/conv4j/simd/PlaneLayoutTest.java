package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvGeometry;
import org.conv4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PlaneLayout#pack} against its definition, pixel by pixel: source pixel {@code (i, j)} of
 * image {@code n} goes to padded pixel {@code (top + i*upH, left + j*upW)} of phase plane
 * {@code (y % strideH, x % strideW)}, everything else zero; strides and upsampling 1-3 (the strided
 * copies per phase), padding, cropping (negative margins), several images.
 */
class PlaneLayoutTest {
    static Stream<Arguments> layouts() {
        List<Arguments> all = new ArrayList<>();
        for (int stride = 1; stride <= 3; stride++) {
            for (int up = 1; up <= 3; up++) {
                for (int margin : new int[] {-2, 0, 1, 3}) {
                    all.add(Arguments.of(2, 5, 7, stride, up, margin));
                    all.add(Arguments.of(1, 4, 13, stride, up, margin));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "images {0}, source {1}x{2}, stride {3}, up {4}, margin {5}")
    @MethodSource("layouts")
    void packsEveryPixelWhereTheDefinitionPutsIt(int images, int srcH, int srcW, int stride, int up, int margin) {
        int top = margin, left = margin + 1; // asymmetric
        int paddedH = top + (srcH - 1) * up + 1 + 2, paddedW = left + (srcW - 1) * up + 1 + 1;
        PlaneLayout layout = PlaneLayout.of(images, paddedH, paddedW, stride, stride);
        int srcImage = srcH * srcW + 3; // images apart by more than a plane
        float[] src = new float[images * srcImage];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        int off = 5;
        float[] dst = new float[off + layout.channelStride()];
        java.util.Arrays.fill(dst, -1f);
        layout.pack(src, 0, srcImage, srcH, srcW, up, up, top, left, dst, off);
        float[] expected = new float[layout.channelStride()];
        for (int n = 0; n < images; n++) {
            for (int i = 0; i < srcH; i++) {
                for (int j = 0; j < srcW; j++) {
                    int y = top + i * up, x = left + j * up;
                    if (y >= 0 && y < paddedH && x >= 0 && x < paddedW) {
                        expected[n * layout.imageStride() + layout.offset(y, x)] = src[n * srcImage + i * srcW + j];
                    }
                }
            }
        }
        assertEquals(-1f, dst[off - 1]);
        for (int p = 0; p < expected.length; p++) {
            assertEquals(expected[p], dst[off + p], "packed position " + p);
        }
    }

    static Stream<Arguments> plans() {
        List<Arguments> all = new ArrayList<>();
        // stride h/w, pads top/bottom/left/right, dilation, kernel r x s, input h x w
        int[][] specs = {
                {1, 1, 1, 1, 1, 1, 1, 3, 3, 6, 7}, {1, 1, 1, 1, 2, 1, 1, 3, 3, 5, 6}, {1, 1, 0, 2, 1, 3, 1, 3, 2, 4, 5},
                {2, 1, 1, 1, 1, 1, 1, 3, 3, 7, 6}, {1, 1, 2, 2, 2, 2, 2, 3, 3, 6, 8}, {2, 2, 1, 1, 1, 1, 1, 3, 3, 7, 7},
                {1, 1, 0, 0, 0, 0, 1, 3, 3, 6, 6}, {1, 1, 3, 1, 1, 4, 1, 1, 1, 2, 1}, {3, 1, 2, 0, 2, 2, 1, 5, 5, 9, 8}};
        for (int[] p : specs) {
            Conv2dSpec spec = new Conv2dSpec(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[6], 1);
            Tensor x = Tensor.zeros(2, 3, p[9], p[10]), w = Tensor.zeros(4, 3, p[7], p[8]);
            Tensor y = Tensor.zeros(spec.outputShape(x.shape(), w.shape()));
            all.add(Arguments.of(ConvPlan.forward(ConvGeometry.forward(x, w, null, spec, y)), spec));
            for (ConvPlan plan : ConvPlan.backwardInput(ConvGeometry.backwardInput(y, w, spec, x))) {
                all.add(Arguments.of(plan, spec));
            }
        }
        return all.stream();
    }

    /**
     * The packed source as {@link DirectConvolution} reads it ({@link PlaneLayout#forPlan}, whose rows
     * may share their padding columns): for every image, channel, output pixel and tap, the float at the
     * output's position plus the tap's offset is the padded (upsampled) source pixel the definition names,
     * or zero in the padding, including the reads that run past the end of a shortened row.
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("plans")
    void everyTapOfEveryOutputReadsThePaddedSource(ConvPlan plan, Conv2dSpec spec) {
        if (plan.taps() == 0) {
            return;
        }
        PlaneLayout layout = PlaneLayout.forPlan(plan, plan.batch());
        assertEquals(layout, PackedChunk.pack(plan, new float[plan.batch() * plan.srcChannels() * plan.srcH()
                * plan.srcW()], 0, plan.batch(), new float[0], 0, 1).layout());
        assertEveryTapReadsThePaddedSource(plan, layout);
    }

    /**
     * {@link PlaneLayout#columnCopies} (one copy per kernel column, output rows without junk columns) for
     * every stride-1 plan: the same reads as {@link #everyTapOfEveryOutputReadsThePaddedSource}.
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("plans")
    void columnCopiesReadThePaddedSource(ConvPlan plan, Conv2dSpec spec) {
        boolean strideOne = plan.strideH() == 1 && plan.strideW() == 1 && plan.upH() == 1 && plan.upW() == 1;
        assertEquals(strideOne, PlaneLayout.copiesColumns(plan));
        if (!strideOne) {
            assertThrows(IllegalArgumentException.class, () -> PlaneLayout.columnCopies(plan, plan.batch()));
            return;
        }
        if (plan.taps() == 0) {
            return;
        }
        PlaneLayout layout = PlaneLayout.columnCopies(plan, plan.batch());
        assertEquals(plan.outW(), layout.cols());
        assertEquals(plan.s() * plan.paddedH() * plan.outW() * plan.batch(), layout.channelStride());
        assertEveryTapReadsThePaddedSource(plan, layout);
    }

    private static void assertEveryTapReadsThePaddedSource(ConvPlan plan, PlaneLayout layout) {
        int channels = plan.srcChannels(), plane = plan.srcH() * plan.srcW();
        float[] src = new float[plan.batch() * channels * plane];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        int[] taps = plan.tapOffsets(layout);
        int margin = MicroKernels.TILE + java.util.Arrays.stream(taps).max().orElse(0);
        PackedChunk packed = PackedChunk.pack(plan, layout, src, 0, plan.batch(), new float[0], margin, 1);
        float[] x = packed.data();
        int chStride = layout.channelStride();
        for (int n = 0; n < plan.batch(); n++) {
            for (int c = 0; c < channels; c++) {
                for (int oh = 0; oh < plan.outH(); oh++) {
                    for (int ow = 0; ow < plan.outW(); ow++) {
                        int p = c * chStride + n * layout.imageStride() + oh * layout.cols() + ow;
                        for (int i = 0; i < plan.r(); i++) {
                            for (int j = 0; j < plan.s(); j++) {
                                int py = oh * plan.strideH() + plan.originH() + i * plan.dilationH() - plan.top();
                                int px = ow * plan.strideW() + plan.originW() + j * plan.dilationW() - plan.left();
                                boolean inside = py >= 0 && px >= 0 && py % plan.upH() == 0 && px % plan.upW() == 0
                                        && py / plan.upH() < plan.srcH() && px / plan.upW() < plan.srcW();
                                float expected = inside
                                        ? src[(n * channels + c) * plane + py / plan.upH() * plan.srcW() + px / plan.upW()]
                                        : 0f;
                                assertEquals(expected, x[p + taps[i * plan.s() + j]], "image " + n + ", channel " + c
                                        + ", output (" + oh + ", " + ow + "), tap (" + i + ", " + j + ")");
                            }
                        }
                    }
                }
            }
        }
    }
}
