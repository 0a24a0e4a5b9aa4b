package org.conv4j.bench.report;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bench/pytorch_bench.py} wrote: either the PyTorch timings of the same shapes and passes,
 * or why there are none ({@code available: false} with a reason).
 */
public record TorchResults(boolean available, String reason, String torchVersion, String blas,
                           List<TorchTiming> results) {

    public TorchResults {
        results = results == null ? List.of() : List.copyOf(results);
        reason = reason == null ? "" : reason;
    }

    /** Torch timings of one shape, pass and thread count: the median over repetitions, in seconds. */
    public record TorchTiming(String shape, String pass, int threads, double medianSeconds, int repetitions) {
    }

    /** The result of an absent PyTorch, with the reason shown in the report. */
    public static TorchResults absent(String reason) {
        return new TorchResults(false, reason, null, null, List.of());
    }

    /** The median seconds for this shape, pass and thread count, if PyTorch ran it. */
    public Optional<Double> seconds(String shape, String pass, int threads) {
        return results.stream()
                .filter(t -> t.shape().equals(shape) && t.pass().equals(pass) && t.threads() == threads)
                .map(TorchTiming::medianSeconds).findFirst();
    }

    /**
     * Reads and merges several files of the script (the runner times PyTorch shape by shape, next to
     * conv4j's runs): available when any file is, with all their timings; no files means not run.
     */
    public static TorchResults read(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            return absent("PyTorch was not run");
        }
        List<TorchResults> all = new java.util.ArrayList<>();
        for (Path f : files) {
            all.add(read(f));
        }
        Optional<TorchResults> ran = all.stream().filter(TorchResults::available).findFirst();
        if (ran.isEmpty()) {
            return all.getFirst();
        }
        List<TorchTiming> timings = all.stream().filter(TorchResults::available)
                .flatMap(r -> r.results().stream()).toList();
        return new TorchResults(true, "", ran.get().torchVersion(), ran.get().blas(), timings);
    }

    /** Reads the script's JSON; a missing file means the runner did not run the script. */
    public static TorchResults read(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return absent("PyTorch was not run (no " + (file == null ? "PyTorch result file" : file) + ")");
        }
        try (Reader in = Files.newBufferedReader(file)) {
            TorchResults r = new Gson().fromJson(in, TorchResults.class);
            return r == null ? absent("empty PyTorch result file " + file) : r;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": expected the JSON of bench/pytorch_bench.py, got "
                    + e.getMessage(), e);
        }
    }
}
