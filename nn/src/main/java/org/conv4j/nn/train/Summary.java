package org.conv4j.nn.train;

import org.conv4j.nn.Layer;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.Shapes;
import org.conv4j.nn.layer.Conv2d;

/**
 * A Keras-style model summary: one row per child with its output shape (per sample) and parameter count,
 * then the total. Convolutions also show how many weights a fully-connected layer between the same input
 * and output sizes would need, which is the lecture's point about weight sharing.
 */
public final class Summary {
    private Summary() {
    }

    public static String of(Sequential model, int[] imageShape) {
        int[] shape = new int[imageShape.length + 1];
        shape[0] = 1;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        String rule = "-".repeat(96) + "\n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-14s %-36s %-16s %10s %14s%n", "Layer", "Type", "Output shape", "Param #", "Dense equiv."));
        sb.append(rule.replace('-', '='));
        sb.append(String.format("%-14s %-36s %-16s %10s %14s%n", "input", "", Shapes.perSample(shape), "", ""));
        long total = 0;
        StringBuilder notes = new StringBuilder();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer l = model.layers().get(i);
            int[] out = l.outputShape(shape);
            long params = l.parameterCount();
            String dense = "";
            if (l instanceof Conv2d) {
                long in = Shapes.product(shape, 1), o = Shapes.product(out, 1);
                dense = String.format("%,d", in * o);
                Conv2d conv = (Conv2d) l;
                int[] w = conv.weight().value().shape();
                notes.append(String.format("%s: %,d weights (%d filters of %dx%dx%d)%s; a dense layer %,d -> %,d needs %,d weights%n",
                        model.names().get(i), conv.weight().value().size(), w[0], w[1], w[2], w[3],
                        conv.bias() == null ? "" : String.format(" + %,d biases", conv.bias().value().size()), in, o, in * o));
            }
            sb.append(String.format("%-14s %-36s %-16s %,10d %14s%n", model.names().get(i), l.describe(),
                    Shapes.perSample(out), params, dense));
            total += params;
            shape = out;
        }
        sb.append(rule.replace('-', '='));
        sb.append(String.format("Total params: %,d (%s as float32)%n", total, bytes(total * 4)));
        sb.append("Dense equiv.: weights of a fully-connected layer mapping the same input to the same output.\n");
        if (model.layers().size() <= 3) {
            sb.append(notes); // the lecture's point, spelled out for small models
        }
        return sb.toString();
    }

    private static String bytes(long b) {
        return b < 1024 ? b + " B" : b < 1 << 20 ? String.format("%.1f KiB", b / 1024.0) : String.format("%.2f MiB", b / 1048576.0);
    }

}
