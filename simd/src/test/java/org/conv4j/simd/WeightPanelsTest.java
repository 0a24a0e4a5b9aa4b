package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The weight panels against their definition ({@link ConvPlan#weightIndex}), float by float, for the
 * three ways of packing: forward rows interleaved, the input gradient's flipped and transposed weights
 * gathered a period at a time (stride 1 and every phase of strides 2 and 3), and the element-by-element
 * remainder; every panel height the kernels use, short last panels, groups, and reduction blocks that
 * start anywhere and end inside a period.
 */
class WeightPanelsTest {
    static Stream<Arguments> plans() {
        List<Arguments> all = new ArrayList<>();
        int[][] shapes = { // c, k, r, s, stride, groups
                {16, 12, 3, 3, 1, 1}, {13, 17, 3, 3, 1, 1}, {7, 10, 5, 5, 1, 1}, {9, 8, 1, 1, 1, 1},
                {12, 18, 3, 3, 2, 3}, {5, 7, 7, 7, 2, 1}, {6, 9, 3, 2, 3, 1}, {4, 6, 1, 1, 2, 2}};
        for (int[] sh : shapes) {
            Conv2dSpec spec = Conv2dSpec.builder().stride(sh[4]).pad(1).groups(sh[5]).build();
            Tensor x = Tensor.zeros(2, sh[0], 11, 10), w = Tensor.zeros(sh[1], sh[0] / sh[5], sh[2], sh[3]);
            Tensor y = Tensor.zeros(spec.outputShape(x.shape(), w.shape()));
            List<ConvPlan> plans = new ArrayList<>(ConvPlan.backwardInput(ConvGeometry.backwardInput(y, w, spec, x)));
            plans.add(ConvPlan.forward(ConvGeometry.forward(x, w, null, spec, y)));
            for (ConvPlan plan : plans) {
                for (int mr : new int[] {1, 3, MicroKernels.MR}) {
                    if (plan.taps() > 0) {
                        all.add(Arguments.of(plan, mr, w.size()));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "[{index}] mr {1}")
    @MethodSource("plans")
    void everyPanelMatchesTheDefinition(ConvPlan plan, int mr, int weightCount) {
        float[] w = new float[weightCount];
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1; // distinct and non-zero: a float from the wrong place, or a missing one, shows
        }
        WeightPanels packer = new WeightPanels(plan, mr);
        int red = plan.reduction(), taps = plan.taps();
        int panels = PlaneLayout.ceilDiv(plan.outputs(), mr);
        for (int g = 0; g < plan.groups(); g++) {
            for (int panel = 0; panel < panels; panel++) {
                for (int c0 = 0; c0 < red; c0 += 3) { // blocks of every length from every start
                    for (int n = 1; c0 + n <= red; n += 5) {
                        int off = 2;
                        float[] dst = new float[off + packer.panelFloats(n) + 1];
                        packer.pack(w, g, panel, c0, n, dst, off);
                        for (int c = 0; c < n; c++) {
                            for (int t = 0; t < taps; t++) {
                                for (int m = 0; m < mr; m++) {
                                    int o = panel * mr + m;
                                    float expected = o < plan.outputs() ? w[plan.weightIndex(g, o, c0 + c, t)] : 0f;
                                    assertEquals(expected, dst[off + (c * taps + t) * mr + m],
                                            "group " + g + ", panel " + panel + ", channel " + (c0 + c) + ", tap " + t
                                                    + ", row " + m);
                                }
                            }
                        }
                        assertEquals(0f, dst[0]);
                        assertEquals(0f, dst[1]);
                        assertEquals(0f, dst[dst.length - 1], "written past the panel");
                    }
                }
            }
        }
    }

    /**
     * Where {@link WeightPanels#inPlaceStep} offers the weight tensor itself, the kernels' in-place
     * addressing ({@code wb + m*ws + red*(taps*step + skip) + t*step}, as {@link DirectConvolution} sets it
     * up) reaches every weight the definition names; and it is offered exactly for the forward pass, the
     * stride-1 input gradient and 1x1 kernels, never for a stride phase that uses some taps only.
     */
    @ParameterizedTest(name = "[{index}] mr {1}")
    @MethodSource("plans")
    void inPlaceAddressingMatchesTheDefinition(ConvPlan plan, int mr, int weightCount) {
        WeightPanels packer = new WeightPanels(plan, mr);
        int step = packer.inPlaceStep();
        boolean strideOne = plan.placement().stepY() == 1 && plan.placement().stepX() == 1;
        int kernelTaps = plan.weightTaps().kernelR() * plan.weightTaps().kernelS();
        if (plan.taps() < kernelTaps) { // a stride phase: some taps only
            assertEquals(0, step, "step");
        } else if (plan.taps() == 1) { // a 1x1 kernel: any step reaches its tap
            assertEquals(1, Math.abs(step), "step");
        } else {
            assertEquals(!plan.transposed() ? 1 : strideOne ? -1 : 0, step, "step");
        }
        if (step == 0) {
            return;
        }
        int red = plan.reduction(), taps = plan.taps();
        int ws = plan.weightOutputStride(), skip = plan.weightReductionStride() - taps * step;
        for (int g = 0; g < plan.groups(); g++) {
            for (int o0 = 0; o0 + mr <= plan.outputs(); o0 += mr) {
                int wb = plan.weightIndex(g, o0, 0, 0);
                for (int c = 0; c < red; c++) {
                    for (int t = 0; t < taps; t++) {
                        for (int m = 0; m < mr; m++) {
                            assertEquals(plan.weightIndex(g, o0 + m, c, t),
                                    wb + m * ws + c * (taps * step + skip) + t * step,
                                    "group " + g + ", output " + (o0 + m) + ", channel " + c + ", tap " + t);
                        }
                    }
                }
            }
        }
    }
}
