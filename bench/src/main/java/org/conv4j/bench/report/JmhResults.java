package org.conv4j.bench.report;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads JMH JSON result files into {@link JmhRun}s. */
public final class JmhResults {
    private static final Gson GSON = new Gson();

    private JmhResults() {
    }

    /** All runs of all files, in file order; a file that is not a JMH JSON array is reported by name. */
    public static List<JmhRun> read(List<Path> files) throws IOException {
        List<JmhRun> runs = new ArrayList<>();
        for (Path file : files) {
            try (Reader in = Files.newBufferedReader(file)) {
                JmhRun[] parsed = GSON.fromJson(in, JmhRun[].class);
                if (parsed == null) {
                    continue; // JMH writes an empty file when every benchmark failed
                }
                runs.addAll(Arrays.asList(parsed));
            } catch (JsonParseException e) {
                throw new IllegalArgumentException(file + ": expected a JMH JSON result array (-rf json), got "
                        + e.getMessage(), e);
            }
        }
        return runs;
    }
}
