package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorAndSpecTest {
    @Test
    void wrapSharesAndShapeCopies() {
        float[] d = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.wrap(d, 2, 3);
        assertSame(d, t.data());
        assertEquals(2, t.rank());
        assertEquals(3, t.dim(1));
        assertEquals(3, t.dim(-1));
        assertEquals(6, t.size());
        assertEquals(6f, t.get(1, 2));
        t.shape()[0] = 99;
        assertArrayEquals(new int[] {2, 3}, t.shape());
        t.set(7f, 0, 1);
        assertEquals(7f, d[1]);
        assertNotSame(d, Tensor.of(d, 6).data());
        assertArrayEquals(new int[] {3, 2}, t.reshape(3, 2).shape());
        assertEquals(0, Tensor.zeros().rank()); // a scalar
        assertEquals(1, Tensor.zeros().size());
    }

    @ParameterizedTest(name = "H={0} R={1} stride={2} pads={3}+{4} dilation={5} -> {6}")
    @CsvSource({
        "8, 5, 1, 0, 0, 1, 4",     // the lecture's valid template matching
        "8, 5, 1, 2, 2, 1, 8",     // padded
        "8, 5, 2, 2, 2, 1, 4",     // padded, stride 2
        "5, 2, 1, 0, 0, 2, 3",     // dilation 2
        "224, 7, 2, 3, 3, 1, 112", // ResNet stem
        "56, 3, 1, 1, 1, 1, 56",
        "7, 3, 2, 1, 0, 1, 3",     // asymmetric padding
        "3, 3, 5, 0, 0, 1, 1",     // stride larger than the input
    })
    void outputSizeFormula(int h, int r, int stride, int padBefore, int padAfter, int dilation, int expected) {
        Conv2dSpec spec = Conv2dSpec.builder().stride(stride, 1).pad(padBefore, padAfter, 0, 0).dilation(dilation, 1).build();
        assertArrayEquals(new int[] {2, 4, expected, 9}, spec.outputShape(new int[] {2, 3, h, 9}, new int[] {4, 3, r, 1}));
    }

    @Test
    void factoriesAndBuilder() {
        assertEquals(new Conv2dSpec(1, 1, 2, 2, 1, 1, 1, 1, 1), Conv2dSpec.same(5, 3));
        assertEquals(new Conv2dSpec(2, 2, 3, 3, 3, 3, 1, 1, 1), Conv2dSpec.of(2, 3));
        Conv2dSpec s = Conv2dSpec.builder().stride(2, 3).pad(1, 2, 3, 4).dilation(2, 1).groups(4).build();
        assertEquals(new Conv2dSpec(2, 3, 1, 2, 3, 4, 2, 1, 4), s);
        assertEquals(s, s.toBuilder().build());
        assertEquals(1, Conv2dSpec.DEFAULT.strideH());
        ConvGeometry g = ConvGeometry.of(new int[] {1, 64, 56, 56}, new int[] {64, 64, 3, 3}, Conv2dSpec.same(3));
        assertEquals(2.0 * 64 * 64 * 9 * 56 * 56, g.flops());
        assertEquals(64 * 9, g.reductionLength());
    }
}
