package org.conv4j.nn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.conv4j.core.ConvEngines;
import org.conv4j.nn.demos.Demo;
import org.conv4j.nn.demos.DemoOptions;
import org.conv4j.nn.demos.Demos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conv4j demo [NAME]}: runs one of the lecture's demonstrations, or lists them. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runnable demonstrations of the lecture's ideas. Without a NAME: the list of demos.",
            "Each prints what it shows; some also write a PNG into --out."})
final class DemoCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The demo to run (see the list).")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the pictures (default: demo-out).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of training, placements, permutations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs of the demos that train (default: each demo's own).")
    Integer epochs;

    @Option(names = "--data", paramLabel = "DIR", description = "permutation: Fashion-MNIST's IDX files in DIR instead of the embedded digits.")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images (quick runs).")
    Integer limit;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        if (name == null) {
            o.println("conv4j demo NAME [--out DIR] [--seed S] [--epochs N] [--data DIR] [--limit N]: the lecture's ideas, runnable.");
            int width = Demos.names().stream().mapToInt(String::length).max().orElse(0);
            for (Demo d : Demos.all()) {
                o.printf(Locale.ROOT, "  %-" + width + "s  %s%n", d.name(), d.summary());
            }
            o.println("Engines available: " + ConvEngines.names() + " (selected: " + ConvEngines.preferred().name() + ")");
            return 0;
        }
        Demo demo = Demos.named(name);
        if (data != null && !demo.name().equals("permutation")) {
            throw new IllegalArgumentException("--data: only the permutation demo reads a dataset, got --data for " + name);
        }
        engineOptions.apply();
        DemoOptions options = new DemoOptions(out != null ? out : DemoOptions.DEFAULT_OUT, seed, epochs, data, limit);
        o.printf(Locale.ROOT, "conv4j demo %s (engine %s, %d thread(s))%n%n", demo.name(), ConvEngines.preferred().name(),
                ConvEngines.threads());
        demo.run(options, o);
        return 0;
    }
}
