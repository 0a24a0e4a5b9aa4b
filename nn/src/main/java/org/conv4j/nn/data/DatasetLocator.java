package org.conv4j.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds an IDX dataset's directory ({@code fashion-mnist}, {@code mnist}, ...): the {@code --data} directory
 * when given, else environment variable {@value #ENV}, else Debian's {@code /usr/share/datasets/<name>}. A
 * directory qualifies when it holds the four files ({@code train-images-idx3-ubyte}, ... with or without
 * {@code .gz}) itself or in a {@code <name>} subdirectory.
 */
public final class DatasetLocator {
    /** Environment variable naming a data directory. */
    public static final String ENV = "CONV4J_DATA";
    /** Where Debian's {@code dataset-*} packages install. */
    public static final Path SYSTEM = Path.of("/usr/share/datasets");

    private DatasetLocator() {
    }

    /** The training and test sets of an IDX dataset; {@code dataDir} may be null. */
    public static Dataset[] load(String name, Path dataDir, String env) throws IOException {
        Path dir = locate(name, dataDir, env);
        Dataset train = IdxReader.read(name + " train", file(dir, "train-images-idx3-ubyte"), file(dir, "train-labels-idx1-ubyte"));
        Dataset test = IdxReader.read(name + " test", file(dir, "t10k-images-idx3-ubyte"), file(dir, "t10k-labels-idx1-ubyte"));
        return new Dataset[] {train, test};
    }

    /** The directory holding {@code name}'s files, or an IOException listing where it looked. */
    public static Path locate(String name, Path dataDir, String env) throws IOException {
        List<String> tried = new ArrayList<>();
        if (dataDir != null) {
            Path d = candidate(dataDir, name, tried, "--data");
            if (d == null) {
                throw notFound(name, tried);
            }
            return d;
        }
        if (env != null && !env.isBlank()) {
            Path d = candidate(Path.of(env), name, tried, ENV);
            if (d != null) {
                return d;
            }
        }
        Path d = candidate(SYSTEM.resolve(name), name, tried, "system");
        if (d == null) {
            throw notFound(name, tried);
        }
        return d;
    }

    private static Path candidate(Path dir, String name, List<String> tried, String source) {
        for (Path d : List.of(dir, dir.resolve(name))) {
            if (Files.exists(file(d, "train-images-idx3-ubyte"))) {
                return d;
            }
            tried.add(d + " (" + source + ")");
        }
        return null;
    }

    private static IOException notFound(String name, List<String> tried) {
        return new IOException("dataset " + name + " not found: no train-images-idx3-ubyte[.gz] in " + String.join(", ", tried)
                + ". Give its directory with --data DIR or " + ENV + "=DIR (Debian: apt-get install dataset-" + name + ")");
    }

    /** {@code dir/base.gz} when it exists, else {@code dir/base}. */
    static Path file(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        return Files.exists(gz) ? gz : dir.resolve(base);
    }
}
