package org.conv4j.nn.demos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The settings every demo accepts; each uses the ones that apply to it.
 *
 * @param out    directory the PNG pictures go into (created on first write)
 * @param seed   seed of initialisation, shuffling, random placements and permutations
 * @param epochs training epochs of the demos that train a network, or null for each demo's default
 * @param data   directory of Fashion-MNIST's IDX files for {@code permutation}, or null for the embedded digits
 * @param limit  use only the first {@code limit} training images, or null for all
 */
public record DemoOptions(Path out, long seed, Integer epochs, Path data, Integer limit) {
    /** Where pictures go when no {@code --out} is given: relative to the working directory. */
    public static final Path DEFAULT_OUT = Path.of("demo-out");
    public static final long DEFAULT_SEED = 42;

    public DemoOptions {
        if (out == null) {
            throw new IllegalArgumentException("out: expected a directory, got null");
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs: expected >= 1, got " + epochs);
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit: expected >= 1, got " + limit);
        }
    }

    /** The defaults: pictures into {@code out}, seed 42, each demo's own epochs, the digits set. */
    public static DemoOptions defaults(Path out) {
        return new DemoOptions(out, DEFAULT_SEED, null, null, null);
    }

    /** {@code epochs} when given, else {@code fallback}. */
    public int epochsOr(int fallback) {
        return epochs == null ? fallback : epochs;
    }

    /** The path of picture {@code fileName} in {@link #out()}, creating the directory. */
    public Path picture(String fileName) throws IOException {
        Files.createDirectories(out);
        return out.resolve(fileName);
    }
}
