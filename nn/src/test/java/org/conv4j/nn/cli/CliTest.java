package org.conv4j.nn.cli;

import static org.conv4j.nn.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.conv4j.nn.cli.CommandRun.Result;
import org.conv4j.nn.data.IdxFiles;
import org.conv4j.nn.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conv4j command end to end, on the embedded digits (small subsets) and tiny generated IDX files. */
class CliTest {
    @TempDir
    Path dir;

    /**
     * Quick runs on the default (highest-priority) engine, one thread: these tests check the command, and that a
     * resumed run equals an uninterrupted one bit for bit, which also needs an engine whose results do not change
     * when the JIT compiles it.
     */
    private static String[] quick(String... extra) {
        String[] base = {"train", "--limit", "400", "--batch", "32", "--lr", "0.01", "--threads", "1", "--no-progress"};
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void trainWritesCheckpointMetricsAndPlotThenEvaluates() throws IOException {
        Path out = dir.resolve("run");
        Path metrics = dir.resolve("metrics.json");
        Result r = run(quick("--epochs", "3", "--out", out.toString(), "--metrics", metrics.toString()));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("epoch 3/3"), r.out());
        JsonObject m = JsonParser.parseString(Files.readString(metrics)).getAsJsonObject();
        assertEquals(3, m.getAsJsonArray("epochs").size());
        JsonObject last = m.getAsJsonArray("epochs").get(2).getAsJsonObject();
        for (String key : new String[] {"train_loss", "train_accuracy", "test_accuracy", "seconds", "samples_per_second"}) {
            assertTrue(last.has(key), key);
        }
        assertTrue(last.get("test_accuracy").getAsDouble() > 0.8, "3 epochs on 400 digits learn: " + last);
        byte[] png = Files.readAllBytes(out.resolve("training.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));

        Result ev = run("evaluate", "--checkpoint", out.toString(), "--threads", "1");
        assertEquals(0, ev.code(), ev.toString());
        String acc = String.format(java.util.Locale.ROOT, "%.2f%%", 100 * last.get("test_accuracy").getAsDouble());
        assertTrue(ev.out().contains("test accuracy " + acc), acc + " in\n" + ev.out());
        assertTrue(ev.out().contains("recall"), ev.out());
    }

    @Test
    void resumeContinuesExactlyAsAnUninterruptedRun() throws IOException {
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        assertEquals(0, run(quick("--epochs", "2", "--out", straight.toString())).code());
        assertEquals(0, run(quick("--epochs", "1", "--out", resumed.toString())).code());
        Result r = run("train", "--resume", resumed.toString(), "--epochs", "2", "--threads", "1", "--no-progress");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("resuming after epoch 1"), r.out());
        assertArrayEquals(Files.readAllBytes(straight.resolve(Checkpoint.WEIGHTS)), Files.readAllBytes(resumed.resolve(Checkpoint.WEIGHTS)));
        assertEquals(2, Checkpoint.readInfo(resumed).getAsJsonArray("history").size());
    }

    @Test
    void nanLossStopsNamingEpochAndStepAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, run(quick("--epochs", "1", "--out", out.toString())).code());
        byte[] good = Files.readAllBytes(out.resolve(Checkpoint.WEIGHTS));
        Result r = run("train", "--resume", out.toString(), "--epochs", "2", "--lr", "1e30", "--threads", "1", "--no-progress");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().matches("(?s).*diverged: loss NaN at epoch 2, step \\d+.*"), r.err());
        assertTrue(r.err().contains("last good checkpoint (epoch 1)"), r.err());
        assertArrayEquals(good, Files.readAllBytes(out.resolve(Checkpoint.WEIGHTS)));
        assertEquals(1, Checkpoint.readInfo(out).getAsJsonObject("training").get("epochs_done").getAsInt());
    }

    @Test
    void wrongDatasetPathIsAClearError() {
        Path missing = dir.resolve("no-such-dir");
        Result r = run("train", "--dataset", "fashion-mnist", "--data", missing.toString(), "--no-progress");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("dataset fashion-mnist not found") && r.err().contains(missing.toString()), r.err());
        Result bad = run("train", "--dataset", "cifar", "--no-progress");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--dataset"), bad.err());
    }

    @Test
    void corruptIdxFileIsAClearError() throws IOException {
        Path data = dir.resolve("fashion-mnist");
        IdxFiles.writeDataset(data, 8, 28);
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(gz, gz.length / 2));
        Result r = run("train", "--dataset", "fashion-mnist", "--data", data.toString(), "--no-progress");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(images.toString()), r.err());
    }

    @Test
    void trainsOnIdxFilesAndRejectsACheckpointOfAnotherArchitecture() throws IOException {
        Path data = dir.resolve("fashion-mnist");
        IdxFiles.writeDataset(data, 64, 28);
        Path out = dir.resolve("lenet");
        Result r = run("train", "--dataset", "fashion-mnist", "--data", data.toString(), "--model", "lenet5", "--epochs", "1",
                "--batch", "16", "--optimizer", "sgd", "--out", out.toString(), "--threads", "1", "--no-progress");
        assertEquals(0, r.code(), r.toString());
        Result wrong = run("evaluate", "--weights", out.resolve(Checkpoint.WEIGHTS).toString(), "--model", "cnn-small",
                "--dataset", "fashion-mnist", "--data", data.toString(), "--threads", "1");
        assertEquals(2, wrong.code(), wrong.toString());
        assertTrue(wrong.err().contains("do not fit this architecture"), wrong.err());
        Result right = run("evaluate", "--weights", out.resolve(Checkpoint.WEIGHTS).toString(), "--model", "lenet5",
                "--dataset", "fashion-mnist", "--data", data.toString(), "--threads", "1");
        assertEquals(0, right.code(), right.toString());
        assertTrue(right.out().contains("Ankle boot") || right.out().contains("T-shirt"), right.out());
    }

    @Test
    void summaryShowsTheLectureExample() {
        Result r = run("summary");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("[5, 6, 6]") && r.out().contains("140") && r.out().contains("34,560")
                && r.out().contains("135 weights (5 filters of 3x3x3) + 5 biases"), r.out());
        Result lenet = run("summary", "--model", "lenet5");
        assertTrue(lenet.out().contains("Total params: 61,706"), lenet.out());
        Result bad = run("summary", "--input", "1x8");
        assertEquals(2, bad.code(), bad.toString());
    }

    @Test
    void badOptionsAreClearErrors() {
        Result r = run("train", "--engine", "no-such-engine", "--no-progress");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--engine") && r.err().contains("naive"), r.err());
        Result e = run("evaluate", "--checkpoint", dir.resolve("nothing").toString());
        assertEquals(2, e.code(), e.toString());
        assertTrue(e.err().contains("checkpoint.json"), e.err());
        Result lenetOnDigits = run("train", "--model", "lenet5", "--no-progress");
        assertEquals(2, lenetOnDigits.code(), lenetOnDigits.toString());
        assertTrue(lenetOnDigits.err().contains("12x12"), lenetOnDigits.err());
    }
}
