package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
}
