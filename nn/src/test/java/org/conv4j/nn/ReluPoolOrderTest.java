package org.conv4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.Pool2dSpec;
import org.conv4j.core.Tensor;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.layer.Flatten;
import org.conv4j.nn.layer.Linear;
import org.conv4j.nn.layer.MaxPool2d;
import org.conv4j.nn.layer.ReLU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sequential runs a ReLU followed by max pooling pool-first; the result must be what the layers give in their
 * declared order: the same outputs (as numbers: a zero maximum may be -0), and the same gradients bit for bit.
 */
class ReluPoolOrderTest {

    private static Sequential net(Pool2dSpec pool) {
        Sequential s = new Sequential()
                .add("conv1", new Conv2d(2, 3, 3, 3, Conv2dSpec.of(1, 1), true))
                .add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(pool))
                .add("relu2", new ReLU()) // a ReLU after the pool: stays where it is
                .add("flatten", new Flatten());
        int[] shape = s.outputShape(new int[] {1, 2, 9, 10});
        s.add("fc", new Linear(shape[1], 4));
        Init.TORCH.apply(s, 5);
        return s;
    }

    @ParameterizedTest(name = "{0}x{0} window, stride {1}, flavour {2}")
    @CsvSource({"2, 2, 0", "2, 2, 1", "2, 2, 2", "3, 2, 0", "2, 1, 1", "3, 3, 2"})
    void poolFirstGivesTheDeclaredOrdersResults(int k, int stride, int flavour) {
        Pool2dSpec spec = new Pool2dSpec(k, k, stride, stride, 0, 0, 0, 0, 1, 1, false, true);
        Sequential fused = net(spec), plain = net(spec);
        SplittableRandom r = new SplittableRandom(k * 10L + stride + flavour);
        Tensor x = Tensor.zeros(3, 2, 9, 10);
        for (int i = 0; i < x.size(); i++) {
            // flavour 1: mostly negative (windows whose maximum is <= 0); 2: a few NaNs
            x.data()[i] = switch (flavour) {
                case 1 -> (float) r.nextGaussian() - 2;
                case 2 -> r.nextInt(40) == 0 ? Float.NaN : (float) r.nextGaussian();
                default -> (float) r.nextGaussian();
            };
        }
        Tensor dy = Tensor.zeros(3, 4);
        for (int i = 0; i < dy.size(); i++) {
            dy.data()[i] = (float) r.nextGaussian();
        }
        float[] y1 = fused.forward(x).data().clone();
        float[] dx1 = fused.backward(dy).data().clone();

        List<Layer> layers = plain.layers();
        Tensor h = x;
        for (Layer l : layers) {
            h = l.forward(h);
        }
        float[] y2 = h.data().clone();
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        for (int i = 0; i < y1.length; i++) {
            assertTrue(y1[i] == y2[i] || y1[i] != y1[i] && y2[i] != y2[i], "output " + i + ": " + y1[i] + " vs " + y2[i]);
        }
        assertArrayEquals(g.data(), dx1, "input gradient");
        for (String name : plain.parameters().keySet()) {
            assertArrayEquals(plain.parameters().get(name).grad().data(), fused.parameters().get(name).grad().data(), name);
        }
    }
}
