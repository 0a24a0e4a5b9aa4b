package org.conv4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.conv4j.core.Tensor;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.optim.Adam;
import org.conv4j.nn.train.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void readsAFileLaidOutAsSafetensorsTorchWritesIt() throws IOException {
        // header as safetensors.torch.save_file({"fc.weight": [[1,2],[3,4]] float32, "n": int64 7}) lays it out
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],"
                + "\"data_offsets\":[0,16]},\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]}}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putLong(7);
        Path p = dir.resolve("t.safetensors");
        Files.write(p, b.array());
        Safetensors.Contents c = Safetensors.read(p);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.tensors().get("fc.weight").data());
        assertArrayEquals(new int[] {2, 2}, c.tensors().get("fc.weight").shape());
        assertEquals(7f, c.tensors().get("n").data()[0]);
        assertEquals("pt", c.metadata().get("format"));
    }

    @Test
    void writesAndReadsBack() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a.weight", Tensor.of(new float[] {1.5f, -2f, 3f}, 3));
        m.put("a.num_batches_tracked", Tensor.of(new float[] {42}));
        Path p = dir.resolve("x.safetensors");
        Safetensors.write(p, m, Map.of("format", "pt"), Set.of("a.num_batches_tracked"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        assertTrue(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).contains("\"I64\""));
        Safetensors.Contents c = Safetensors.read(p);
        assertArrayEquals(m.get("a.weight").data(), c.tensors().get("a.weight").data());
        assertEquals(42f, c.tensors().get("a.num_batches_tracked").data()[0]);
        assertEquals(0, c.tensors().get("a.num_batches_tracked").rank());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void corruptFilesAreClearErrorsNamingTheFile() throws IOException {
        Map<String, Tensor> m = Map.of("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, m, Map.of(), Set.of());
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, "this is not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
        Path badJson = dir.resolve("badjson.safetensors");
        byte[] broken = bytes.clone();
        broken[9] = '#';
        Files.write(badJson, broken);
        for (Path p : new Path[] {truncated, garbage, badJson, dir.resolve("missing.safetensors")}) {
            IOException e = assertThrows(IOException.class, () -> Safetensors.read(p));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    @Test
    void checkpointRoundTripAndArchitectureMismatch() throws IOException {
        Sequential a = Models.build("lenet5", new int[] {1, 28, 28}, 10, 1);
        Sequential b = Models.build("lenet5", new int[] {1, 28, 28}, 10, 2);
        JsonObject info = new JsonObject();
        info.addProperty("note", "x");
        Checkpoint.save(dir, a, new Adam(), info);
        assertEquals("x", Checkpoint.readInfo(dir).get("note").getAsString());
        Checkpoint.loadWeights(dir.resolve(Checkpoint.WEIGHTS), b);
        assertArrayEquals(a.parameters().get("conv1.weight").value().data(), b.parameters().get("conv1.weight").value().data());
        assertArrayEquals(a.parameters().get("fc3.bias").value().data(), b.parameters().get("fc3.bias").value().data());

        Sequential other = Models.build("cnn-small", new int[] {1, 28, 28}, 10, 1);
        float[] before = other.parameters().get("conv1.weight").value().data().clone();
        IOException e = assertThrows(IOException.class, () -> Checkpoint.loadWeights(dir.resolve(Checkpoint.WEIGHTS), other));
        assertTrue(e.getMessage().contains("another model") && e.getMessage().contains("missing bn1.weight")
                && e.getMessage().contains("conv1.weight has shape [6, 1, 5, 5], the model expects [32, 1, 3, 3]"), e.getMessage());
        assertArrayEquals(before, other.parameters().get("conv1.weight").value().data(), "nothing changed on failure");
    }

    @Test
    void stateDictNamesFollowPyTorch() {
        Sequential lenet = Models.build("lenet5", new int[] {1, 28, 28}, 10, 0);
        assertEquals("[conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias, "
                + "fc3.weight, fc3.bias]", Checkpoint.stateDict(lenet).keySet().toString());
        assertArrayEquals(new int[] {6, 1, 5, 5}, lenet.parameters().get("conv1.weight").value().shape());
        assertArrayEquals(new int[] {120, 400}, lenet.parameters().get("fc1.weight").value().shape());
        Sequential resnet = Models.build("resnet-mini", new int[] {1, 28, 28}, 10, 0);
        assertTrue(Checkpoint.stateDict(resnet).containsKey("layer2.downsample.0.weight"));
        assertTrue(Checkpoint.stateDict(resnet).containsKey("layer3.conv3.weight"));
        assertTrue(Checkpoint.stateDict(resnet).containsKey("bn1.num_batches_tracked"));
    }
}
