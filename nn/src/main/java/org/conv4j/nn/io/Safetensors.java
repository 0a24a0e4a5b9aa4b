package org.conv4j.nn.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conv4j.core.Tensor;

/**
 * The safetensors format (as written by {@code safetensors.torch.save_file}): an 8-byte little-endian header
 * length, a JSON header mapping each name to {@code dtype}, {@code shape} and {@code data_offsets}
 * (optionally {@code __metadata__}, string to string), then the little-endian data. Reads F32, F64, F16, BF16,
 * I64 and I32 into float tensors; writes F32, and I64 for the names given (PyTorch keeps
 * {@code num_batches_tracked} as int64). Any inconsistency is an IOException naming the file.
 */
public final class Safetensors {
    private static final String METADATA = "__metadata__";
    /** Headers are small JSON; a larger length means a foreign or corrupt file. */
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** Tensors by name in file order, with the header's metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Writes tensors (in map order) atomically; names in {@code int64Names} are stored as I64. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> int64Names)
            throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            boolean i64 = int64Names.contains(e.getKey());
            long bytes = (long) e.getValue().size() * (i64 ? 8 : 4);
            JsonObject t = new JsonObject();
            t.addProperty("dtype", i64 ? "I64" : "F32");
            JsonArray shape = new JsonArray();
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + bytes);
            t.add("data_offsets", offs);
            header.add(e.getKey(), t);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            boolean i64 = int64Names.contains(e.getKey());
            for (float v : e.getValue().data()) {
                if (i64) {
                    buf.putLong((long) v);
                } else {
                    buf.putFloat(v);
                }
            }
        }
        AtomicFiles.write(path, buf.array());
    }

    /** Reads and validates a safetensors file. */
    public static Contents read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file", e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IOException(path + ": not a safetensors file: " + bytes.length + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw new IOException(path + ": not a safetensors file or truncated: header length " + headerLength
                    + " does not fit the file's " + bytes.length + " bytes");
        }
        int dataStart = (int) (8 + headerLength);
        JsonObject header;
        try {
            JsonElement el = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
            if (!el.isJsonObject()) {
                throw new IOException(path + ": corrupt safetensors header: expected a JSON object");
            }
            header = el.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(path + ": corrupt safetensors header: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<long[]> spans = new ArrayList<>();
        long dataLength = bytes.length - dataStart;
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            try {
                if (name.equals(METADATA)) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                        metadata.put(m.getKey(), m.getValue().getAsString());
                    }
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                JsonArray shapeJson = t.getAsJsonArray("shape");
                int[] shape = new int[shapeJson.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsInt();
                    if (shape[i] < 1) {
                        throw new IOException(path + ": tensor '" + name + "' has an empty or negative extent " + shape[i]);
                    }
                    count *= shape[i];
                }
                JsonArray offs = t.getAsJsonArray("data_offsets");
                long begin = offs.get(0).getAsLong(), end = offs.get(1).getAsLong();
                int width = width(dtype, path, name);
                if (begin < 0 || end > dataLength || end - begin != count * width) {
                    throw new IOException(path + ": tensor '" + name + "' (" + dtype + " " + java.util.Arrays.toString(shape)
                            + ") has data_offsets [" + begin + ", " + end + "], expected " + count * width
                            + " bytes within the " + dataLength + " data bytes (truncated file?)");
                }
                spans.add(new long[] {begin, end});
                float[] data = new float[(int) count];
                decode(buf, dataStart + (int) begin, dtype, data);
                tensors.put(name, Tensor.wrap(data, shape));
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException | IndexOutOfBoundsException
                     | NumberFormatException | ClassCastException ex) {
                throw new IOException(path + ": corrupt safetensors header entry '" + name + "': " + ex, ex);
            }
        }
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        long covered = 0;
        for (long[] s : spans) {
            if (s[0] != covered) {
                throw new IOException(path + ": tensor data overlaps or leaves a gap at byte " + covered);
            }
            covered = s[1];
        }
        if (covered != dataLength) {
            throw new IOException(path + ": " + (dataLength - covered) + " bytes after the last tensor (corrupt file?)");
        }
        return new Contents(tensors, metadata);
    }

    private static int width(String dtype, Path path, String name) throws IOException {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IOException(path + ": tensor '" + name + "' has dtype " + dtype
                    + ", expected one of F32, F64, F16, BF16, I64, I32");
        };
    }

    private static void decode(ByteBuffer buf, int at, String dtype, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case "F32" -> buf.getFloat(at + 4 * i);
                case "F64" -> (float) buf.getDouble(at + 8 * i);
                case "I64" -> (float) buf.getLong(at + 8 * i);
                case "I32" -> (float) buf.getInt(at + 4 * i);
                case "F16" -> Float.float16ToFloat(buf.getShort(at + 2 * i));
                default -> Float.intBitsToFloat((buf.getShort(at + 2 * i) & 0xffff) << 16); // BF16
            };
        }
    }
}
