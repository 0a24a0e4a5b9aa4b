package org.conv4j.nn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code conv4j} command: the entry point the {@code ./conv4j} launcher runs. */
@Command(name = "conv4j", mixinStandardHelpOptions = true, version = "conv4j 0.1.0-SNAPSHOT",
        description = "Pure-Java convolution and convolutional neural networks.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, SummaryCommand.class, EnginesCommand.class,
            DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 on success), without exiting the JVM. */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true"); // PNG plots are drawn off-screen
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
                line.getErr().println("conv4j: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
