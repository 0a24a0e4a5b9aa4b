package org.conv4j.nn.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.conv4j.nn.io.AtomicFiles;

/** The per-epoch record of a run, written as JSON by {@code --metrics} and kept in checkpoints. */
final class Metrics {
    /** One epoch (numbered from 1). */
    record Epoch(int epoch, double lr, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                 double seconds, double samplesPerSecond) {
        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", epoch);
            o.addProperty("lr", lr);
            o.addProperty("train_loss", trainLoss);
            o.addProperty("train_accuracy", trainAccuracy);
            o.addProperty("test_loss", testLoss);
            o.addProperty("test_accuracy", testAccuracy);
            o.addProperty("seconds", seconds);
            o.addProperty("samples_per_second", samplesPerSecond);
            return o;
        }

        static Epoch fromJson(JsonObject o) {
            return new Epoch(o.get("epoch").getAsInt(), o.get("lr").getAsDouble(), o.get("train_loss").getAsDouble(),
                    o.get("train_accuracy").getAsDouble(), o.get("test_loss").getAsDouble(),
                    o.get("test_accuracy").getAsDouble(), o.get("seconds").getAsDouble(),
                    o.get("samples_per_second").getAsDouble());
        }
    }

    final JsonObject run = new JsonObject();
    final List<Epoch> epochs = new ArrayList<>();

    JsonArray epochsJson() {
        JsonArray a = new JsonArray();
        for (Epoch e : epochs) {
            a.add(e.toJson());
        }
        return a;
    }

    void readEpochs(JsonArray a) {
        epochs.clear();
        for (JsonElement e : a) {
            epochs.add(Epoch.fromJson(e.getAsJsonObject()));
        }
    }

    void write(Path file) throws IOException {
        JsonObject o = run.deepCopy();
        o.add("epochs", epochsJson());
        AtomicFiles.write(file, new GsonBuilder().setPrettyPrinting().create().toJson(o).getBytes(StandardCharsets.UTF_8));
    }
}
