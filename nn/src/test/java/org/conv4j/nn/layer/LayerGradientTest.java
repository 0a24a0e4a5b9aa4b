package org.conv4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Init;
import org.conv4j.nn.Layer;
import org.conv4j.nn.LayerCheck;
import org.conv4j.nn.Residual;
import org.conv4j.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every layer's backward pass against central finite differences (see {@link LayerCheck}). */
class LayerGradientTest {

    private static <L extends Layer> L init(L layer, long seed) {
        Init.HE.apply(layer, seed);
        // non-zero biases and batch-norm affine parameters, so their gradients are exercised off the origin
        SplittableRandom r = new SplittableRandom(seed + 7);
        layer.parameters().forEach((name, p) -> {
            if (p.value().rank() == 1) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (name.endsWith("weight") ? r.nextDouble(0.5, 1.5) : r.nextDouble(-0.5, 0.5));
                }
            }
        });
        return layer;
    }

    /** Values in [-1, 1] at least {@code gap} apart and at least {@code gap} from zero, so no step crosses a kink or tie. */
    private static Tensor spread(long seed, double gap, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        int[] perm = org.conv4j.nn.data.Shuffle.permutation(d.length, new SplittableRandom(seed));
        for (int i = 0; i < d.length; i++) {
            int k = perm[i] - d.length / 2;
            d[i] = (float) ((k >= 0 ? k + 1 : k) * gap);
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void conv2dEverySpecParameter(int variant) {
        Conv2dSpec spec = switch (variant) {
            case 0 -> Conv2dSpec.DEFAULT;
            case 1 -> Conv2dSpec.same(3);
            case 2 -> Conv2dSpec.builder().stride(2, 1).pad(1, 0, 2, 1).build();
            case 3 -> Conv2dSpec.builder().dilation(2).pad(1).build();
            case 4 -> Conv2dSpec.builder().groups(2).pad(1).build();
            default -> Conv2dSpec.builder().stride(2).groups(4).build();
        };
        Conv2d conv = init(new Conv2d(4, 4, 3, 2, spec, variant != 3), variant);
        LayerCheck.assertGradients(conv, LayerCheck.random(100 + variant, 2, 4, 7, 6), variant);
    }

    @Test
    void linear() {
        Linear fc = init(new Linear(37, 11), 1);
        LayerCheck.assertGradients(fc, LayerCheck.random(2, 5, 37), 3);
        LayerCheck.assertGradients(init(new Linear(5, 3, false), 4), LayerCheck.random(5, 2, 5), 6);
    }

    @Test
    void activations() {
        LayerCheck.assertGradients(new ReLU(), spread(1, 0.03, 3, 2, 4, 4), 1);
        LayerCheck.assertGradients(new Sigmoid(), LayerCheck.random(2, 3, 2, 4, 4), 2);
        LayerCheck.assertGradients(new Tanh(), LayerCheck.random(3, 3, 17), 3);
    }

    @Test
    void pooling() {
        LayerCheck.assertGradients(new MaxPool2d(2), spread(4, 0.03, 2, 3, 6, 6), 4);
        LayerCheck.assertGradients(new MaxPool2d(Pool2dSpec.of(3, 2, 1)), spread(5, 0.03, 2, 2, 7, 7), 5);
        LayerCheck.assertGradients(new AvgPool2d(Pool2dSpec.of(3, 2, 1).withCountIncludePad(false)), LayerCheck.random(6, 2, 2, 7, 7), 6);
        LayerCheck.assertGradients(new AvgPool2d(2), LayerCheck.random(7, 2, 3, 4, 6), 7);
        LayerCheck.assertGradients(new GlobalAvgPool2d(), LayerCheck.random(8, 2, 3, 5, 4), 8);
        LayerCheck.assertGradients(new GlobalMaxPool2d(), spread(9, 0.03, 2, 3, 5, 4), 9);
    }

    @Test
    void flatten() {
        LayerCheck.assertGradients(new Flatten(), LayerCheck.random(10, 2, 3, 2, 2), 10);
    }

    @Test
    void batchNormTrainingAndEvaluation() {
        BatchNorm2d bn = init(new BatchNorm2d(3), 11);
        LayerCheck.assertGradients(bn, LayerCheck.random(11, 4, 3, 3, 2), 11);
        bn.setTraining(false);
        LayerCheck.assertGradients(bn, LayerCheck.random(12, 4, 3, 3, 2), 12);
    }

    @Test
    void residualIdentityAndProjection() {
        // smooth bodies so the check sees only the wiring of the two paths and their sum
        Sequential body = new Sequential().add("conv1", new Conv2d(3, 3, 3)).add("act", new Tanh())
                .add("conv2", new Conv2d(3, 3, 3));
        LayerCheck.assertGradients(init(new Residual(body, null, false), 13), LayerCheck.random(13, 2, 3, 5, 5), 13);
        Sequential body2 = new Sequential().add("conv1", new Conv2d(3, 4, 3, 3, Conv2dSpec.of(2, 1), true))
                .add("bn1", new BatchNorm2d(4)).add("act", new Sigmoid());
        Sequential proj = new Sequential().add("0", new Conv2d(3, 4, 1, 1, Conv2dSpec.of(2, 0), false)).add("1", new BatchNorm2d(4));
        LayerCheck.assertGradients(init(new Residual(body2, proj, false), 14), LayerCheck.random(14, 3, 3, 6, 6), 14);
    }

    @Test
    void residualBlocksWithReLU() {
        // torchvision-style blocks with ReLU after batch norm: smaller steps (see LayerCheck); the bottleneck,
        // with three normalised ReLU layers, needs 1e-4 for the random direction to straddle no kink
        LayerCheck.assertGradients(init(Residual.basic(2, 3, 2), 15), spread(15, 0.02, 2, 2, 5, 5), 15, 1e-3);
        LayerCheck.assertGradients(init(Residual.bottleneck(4, 2, 4, 1), 16), spread(16, 0.01, 2, 4, 4, 4), 16, 1e-4);
    }

    @Test
    void wholeNetwork() {
        Sequential net = new Sequential()
                .add("conv1", new Conv2d(2, 4, 3))
                .add("bn1", new BatchNorm2d(4))
                .add("act1", new Tanh())
                .add("pool1", new AvgPool2d(2))
                .add("block", new Residual(new Sequential().add("conv", new Conv2d(4, 4, 3)).add("act", new Sigmoid()), null, false))
                .add("gap", new GlobalAvgPool2d())
                .add("flatten", new Flatten())
                .add("fc1", new Linear(4, 6))
                .add("act2", new Tanh())
                .add("fc2", new Linear(6, 3));
        LayerCheck.assertGradients(init(net, 17), LayerCheck.random(17, 3, 2, 6, 6), 17);
    }

    @Test
    void theCheckCatchesAWrongGradient() {
        // a layer whose backward is 1% off must fail, or the checks above prove nothing
        Layer wrong = new Layer() {
            private final Tanh inner = new Tanh();

            @Override
            public int[] outputShape(int[] s) {
                return s;
            }

            @Override
            public Tensor forward(Tensor x) {
                return inner.forward(x);
            }

            @Override
            public Tensor backward(Tensor g) {
                Tensor d = inner.backward(g);
                for (int i = 0; i < d.size(); i++) {
                    d.data()[i] *= 1.01f;
                }
                return d;
            }
        };
        assertNotNull(LayerCheck.mismatch(wrong, LayerCheck.random(18, 2, 8), 18));
    }

    @Test
    void badInputNamesTheArgument() {
        Conv2d conv = new Conv2d(3, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 2, 5, 5)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(4, 2).forward(Tensor.zeros(2, 5)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(4, 2).forward(Tensor.zeros(2, 4, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 4, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3).forward(Tensor.zeros(1, 1, 2, 2)));
    }
}
