package org.conv4j.nn.cli;

import java.util.concurrent.Callable;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import picocli.CommandLine.Command;

/** {@code conv4j engines}: the convolution engines found, which are available, and which is selected. */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "List the convolution engines found and the one selected "
                + "(-Dconv4j.engine=NAME or CONV4J_ENGINE=NAME to choose).")
final class EnginesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        ConvEngine preferred = ConvEngines.preferred();
        System.out.printf("%-10s %8s  %-9s %s%n", "engine", "priority", "available", "");
        for (ConvEngine e : ConvEngines.all()) {
            System.out.printf("%-10s %8d  %-9s %s%n", e.name(), e.priority(), e.isAvailable() ? "yes" : "no",
                    e.name().equals(preferred.name()) ? "<- selected" : "");
        }
        System.out.println("threads: " + ConvEngines.threads() + " (-Dconv4j.threads=N)");
        return 0;
    }
}
