package org.conv4j.bench;

/** Parses the benchmarks' thread-count parameters: a whole number >= 1, or {@code all}. */
public final class BenchThreads {
    private BenchThreads() {
    }

    /** The thread count {@code value} stands for; {@code all} is {@link Runtime#availableProcessors()}. */
    public static int resolve(String value) {
        if (value != null && value.trim().equalsIgnoreCase("all")) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(value == null ? "" : value.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("threads: expected a whole number >= 1 or 'all', got '" + value + "'");
    }
}
