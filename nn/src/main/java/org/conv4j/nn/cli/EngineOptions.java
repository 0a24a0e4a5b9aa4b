package org.conv4j.nn.cli;

import org.conv4j.core.ConvEngines;
import picocli.CommandLine.Option;

/** {@code --engine} and {@code --threads}, shared by the commands that run convolutions (a picocli mixin). */
final class EngineOptions {
    @Option(names = "--engine", paramLabel = "NAME", description = "Convolution engine (default: the highest-priority available).")
    String engine;

    @Option(names = "--threads", paramLabel = "T", description = "Threads (default: all processors).")
    Integer threads;

    /** Applies the options as the system properties the engines read; a bad value names its option. */
    void apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads: expected >= 1, got " + threads);
            }
            System.setProperty(ConvEngines.THREADS_PROPERTY, threads.toString());
        }
        if (engine != null) {
            try {
                ConvEngines.named(engine);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--engine: " + e.getMessage(), e);
            }
            System.setProperty(ConvEngines.ENGINE_PROPERTY, engine);
        }
    }
}
