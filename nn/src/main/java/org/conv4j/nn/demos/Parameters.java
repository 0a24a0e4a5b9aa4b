package org.conv4j.nn.demos;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.layer.Conv2d;
import org.conv4j.nn.train.Models;
import org.conv4j.nn.train.Summary;

/**
 * Weight sharing in numbers: the lecture's 3x8x8 -> 5x6x6 convolution has 135 weights where a fully-connected
 * layer between the same 192 and 180 neurons has 34,560; then whole networks (LeNet-5, the small CNN) through
 * the model summary, with what their convolutions would cost fully connected.
 */
public final class Parameters implements Demo {
    /** The networks shown and the image each is built for. */
    public static final List<Network> NETWORKS = List.of(new Network("lecture", new int[] {3, 8, 8}),
            new Network("lenet5", new int[] {1, 28, 28}), new Network("cnn-small", new int[] {1, 28, 28}));

    public record Network(String model, int[] image) {
    }

    /**
     * A network's counts.
     *
     * @param convWeights     weights of its convolutions (no biases)
     * @param total           all its trainable parameters
     * @param denseEquivalent weights of fully-connected layers in place of its convolutions (same input and output sizes)
     * @param summary         the model summary
     */
    public record Counts(String model, long convWeights, long total, long denseEquivalent, String summary) {
    }

    @Override
    public String name() {
        return "parameters";
    }

    @Override
    public String summary() {
        return "CNN against fully-connected parameter counts: 135 against 34,560, LeNet-5 and cnn-small via the model summary";
    }

    public static Counts count(Network n) {
        Sequential m = Models.build(n.model(), n.image(), 10, 0);
        long conv = 0, dense = 0;
        int[] shape = new int[] {1, n.image()[0], n.image()[1], n.image()[2]};
        for (Layer l : m.layers()) {
            int[] next = l.outputShape(shape);
            if (l instanceof Conv2d c) {
                conv += c.weight().value().size();
                dense += (long) Shapes.product(shape, 1) * Shapes.product(next, 1);
            }
            shape = next;
        }
        return new Counts(n.model(), conv, m.parameterCount(), dense, Summary.of(m, n.image()));
    }

    @Override
    public void run(DemoOptions options, PrintStream out) {
        Counts lecture = count(NETWORKS.getFirst());
        out.println("The lecture's layer: 3x8x8 input, 5 filters of 3x3x3, 5x6x6 output.");
        out.printf(Locale.ROOT, "  convolution:     5 x 3x3x3      = %,7d weights (+ 5 biases)%n", lecture.convWeights());
        out.printf(Locale.ROOT, "  fully connected: 192 x 180      = %,7d weights (+ 180 biases)%n", lecture.denseEquivalent());
        out.printf(Locale.ROOT, "  %.0fx fewer: each filter is shared by all 36 positions and sees 27 of the 192 inputs%n%n",
                (double) lecture.denseEquivalent() / lecture.convWeights());
        for (Network n : NETWORKS) {
            Counts c = count(n);
            out.printf(Locale.ROOT, "== %s on %dx%dx%d images (conv4j summary --model %s)%n", n.model(), n.image()[0],
                    n.image()[1], n.image()[2], n.model());
            out.print(c.summary());
            out.printf(Locale.ROOT, "convolution weights %,d; fully-connected layers in their place would need %,d"
                    + " (%,.0fx); the network has %,d parameters in all%n%n", c.convWeights(), c.denseEquivalent(),
                    (double) c.denseEquivalent() / c.convWeights(), c.total());
        }
    }
}
