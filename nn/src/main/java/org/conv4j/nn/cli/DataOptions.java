package org.conv4j.nn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.data.DatasetLocator;
import org.conv4j.nn.data.DigitsCsv;
import picocli.CommandLine.Option;

/** The {@code --dataset} and {@code --data} options shared by train and evaluate, and loading the chosen set. */
final class DataOptions {
    /** The held-out share of the embedded digits; the split's seed is fixed so every run tests on the same images. */
    static final double DIGITS_TEST_FRACTION = 0.2;
    static final long DIGITS_SPLIT_SEED = 20260101L;

    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "digits (embedded 8x8, default), fashion-mnist or mnist (IDX files; see --data).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the IDX files (default: env CONV4J_DATA, then /usr/share/datasets/NAME).")
    Path dataDir;

    String name() {
        return dataset == null ? "digits" : dataset;
    }

    /** The training and test sets, unnormalised. */
    Dataset[] load() throws IOException {
        return load(name(), dataDir);
    }

    static Dataset[] load(String name, Path dir) throws IOException {
        return switch (name) {
            case "digits" -> {
                if (dir != null) {
                    throw new IllegalArgumentException("--data: the digits set is embedded; --data is for fashion-mnist or mnist");
                }
                yield DigitsCsv.embedded().split(DIGITS_TEST_FRACTION, DIGITS_SPLIT_SEED);
            }
            case "fashion-mnist", "mnist" -> DatasetLocator.load(name, dir, System.getenv(DatasetLocator.ENV));
            default -> throw new IllegalArgumentException("--dataset: expected digits, fashion-mnist or mnist, got '" + name + "'");
        };
    }

    static List<String> classNames(String dataset) {
        return dataset.equals("fashion-mnist") ? FASHION_CLASSES : List.of();
    }
}
