package org.conv4j.core.testing;

import java.util.function.Predicate;

/** Greedy shrinking of a failing {@link ConvProblem}: repeatedly take the first simpler problem that still fails. */
public final class Shrinker {
    private static final int MAX_STEPS = 500;

    private Shrinker() {
    }

    /** The smallest problem reachable from {@code failing} through {@link ConvProblem#simpler()} that still fails. */
    public static ConvProblem shrink(ConvProblem failing, Predicate<ConvProblem> fails) {
        ConvProblem current = failing;
        for (int step = 0; step < MAX_STEPS; step++) {
            ConvProblem next = null;
            for (ConvProblem candidate : current.simpler()) {
                if (fails.test(candidate)) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }
}
