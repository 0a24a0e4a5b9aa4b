package org.conv4j.nn.cli;

import java.util.concurrent.Callable;
import org.conv4j.nn.train.Models;
import org.conv4j.nn.train.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conv4j summary}: a model's layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, output shapes and parameter counts (like Keras' summary()).")
final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME", defaultValue = "lecture",
            description = "digits-cnn, lenet5, cnn-small, resnet-mini or lecture (5 filters 3x3x3; default).")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "Image shape (default: 3x8x8 for lecture, 1x8x8 for digits-cnn, else 1x28x28).")
    String input;

    @Option(names = "--classes", defaultValue = "10", description = "Output classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Override
    public Integer call() {
        int[] image = parse(input != null ? input
                : model.equals("lecture") ? "3x8x8" : model.equals("digits-cnn") ? "1x8x8" : "1x28x28");
        System.out.println("Model " + model + " on " + image[0] + "x" + image[1] + "x" + image[2] + " images:");
        System.out.print(Summary.of(Models.build(model, image, classes, 0), image));
        return 0;
    }

    private static int[] parse(String s) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 3) {
                int[] r = {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim())};
                if (r[0] > 0 && r[1] > 0 && r[2] > 0) {
                    return r;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--input: expected CxHxW with positive sizes, e.g. 1x28x28, got '" + s + "'");
    }
}
