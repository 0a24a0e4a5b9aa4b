package org.conv4j.nn.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Layer;
import org.conv4j.nn.Parameter;
import org.conv4j.nn.optim.Optimizer;

/**
 * A checkpoint directory: {@value #WEIGHTS} (the model's {@code state_dict} with PyTorch names and layouts,
 * loadable by {@code safetensors.torch.load_file}), {@value #OPTIMIZER} (optimiser state, for
 * {@code --resume}) and {@value #INFO} (architecture and training state). Each file is written atomically;
 * the JSON goes last, so it never describes weights that are not on disk yet.
 */
public final class Checkpoint {
    public static final String WEIGHTS = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String INFO = "checkpoint.json";

    private Checkpoint() {
    }

    /** The model's parameters and buffers by {@code state_dict} name, in order. */
    public static Map<String, Tensor> stateDict(Layer model) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            m.put(e.getKey(), e.getValue().value());
        }
        m.putAll(model.buffers());
        return m;
    }

    /** Writes weights, optimiser state (when not null) and {@code info} into {@code dir}. */
    public static void save(Path dir, Layer model, Optimizer optimizer, JsonObject info) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> state = stateDict(model);
        Set<String> counters = new TreeSet<>();
        for (String name : state.keySet()) {
            if (name.endsWith("num_batches_tracked")) {
                counters.add(name); // int64 in PyTorch
            }
        }
        Safetensors.write(dir.resolve(WEIGHTS), state, Map.of("format", "pt"), counters);
        if (optimizer != null) {
            Safetensors.write(dir.resolve(OPTIMIZER), optimizer.state(), Map.of("optimizer", optimizer.name(),
                    "steps", Long.toString(optimizer.steps())), Set.of());
        }
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(info);
        AtomicFiles.write(dir.resolve(INFO), json.getBytes(StandardCharsets.UTF_8));
    }

    /** The checkpoint's JSON. */
    public static JsonObject readInfo(Path dir) throws IOException {
        Path p = dir.resolve(INFO);
        try {
            return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new IOException(p + ": no such file (is " + dir + " a checkpoint directory written by conv4j train --out?)", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(p + ": corrupt checkpoint description: " + e.getMessage(), e);
        }
    }

    /**
     * Copies a {@code state_dict} file into the model, strictly as PyTorch's {@code load_state_dict}: every
     * name present with the model's shape, nothing extra; otherwise nothing is changed and the message lists
     * the missing, unexpected and mis-shaped entries.
     */
    public static void loadWeights(Path file, Layer model) throws IOException {
        Map<String, Tensor> saved = Safetensors.read(file).tensors();
        Map<String, Tensor> target = stateDict(model);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            Tensor s = saved.get(e.getKey());
            if (s == null) {
                problems.add("missing " + e.getKey());
            } else if (!s.hasShape(e.getValue().shape())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(s.shape()) + ", the model expects "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String name : saved.keySet()) {
            if (!target.containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(file + ": weights do not fit this architecture (a checkpoint of another model?): "
                    + String.join("; ", problems.subList(0, Math.min(8, problems.size())))
                    + (problems.size() > 8 ? "; and " + (problems.size() - 8) + " more" : ""));
        }
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            float[] src = saved.get(e.getKey()).data();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }

    /** Restores the optimiser state saved next to the weights. */
    public static void loadOptimizer(Path dir, Optimizer optimizer) throws IOException {
        Safetensors.Contents c = Safetensors.read(dir.resolve(OPTIMIZER));
        String name = c.metadata().get("optimizer");
        if (!optimizer.name().equals(name)) {
            throw new IOException(dir.resolve(OPTIMIZER) + ": state of optimizer '" + name + "', expected '"
                    + optimizer.name() + "'");
        }
        long steps;
        try {
            steps = Long.parseLong(c.metadata().getOrDefault("steps", ""));
        } catch (NumberFormatException e) {
            throw new IOException(dir.resolve(OPTIMIZER) + ": corrupt metadata: expected a step count, got '"
                    + c.metadata().get("steps") + "'", e);
        }
        optimizer.loadState(c.tensors(), steps);
    }
}
