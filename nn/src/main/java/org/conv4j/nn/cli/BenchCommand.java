package org.conv4j.nn.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code conv4j bench}: the JMH benchmark suite of the {@code bench} module, run through its script
 * {@code bench/run} in the source checkout (JMH needs its own forked JVMs and the benchmarks jar, which the
 * script builds). The {@code ./conv4j} launcher says where the checkout is ({@code -Dconv4j.home}); otherwise
 * the working directory is tried.
 */
@Command(name = "bench", mixinStandardHelpOptions = false,
        description = {"Run the JMH benchmark suite (bench/run in the source checkout): the FMA peak, every engine on the "
                + "standard shapes, max pooling and a LeNet-5 training step, and PyTorch when python3 can import torch; "
                + "writes bench/results/<date>/report.md and chart.png.",
            "Options are bench/run's: --quick, --engines a,b, --shapes s1,s2, --passes p1,p2, --threads 1,all, "
                + "--out DIR, --no-torch, --no-pool, --no-step, --help (a full run takes about 20 minutes)."})
final class BenchCommand implements Callable<Integer> {
    /** Set by the launcher to the repository root. */
    static final String HOME_PROPERTY = "conv4j.home";

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "."));
        Path script = home.resolve("bench").resolve("run");
        if (!Files.isExecutable(script)) {
            System.err.println("conv4j bench: expected the benchmark script " + script.toAbsolutePath().normalize()
                    + ", which a source checkout of conv4j has; run ./conv4j bench from the checkout (or bench/run)");
            return 2;
        }
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(arguments);
        Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
            }
        }
        return p.waitFor();
    }
}
