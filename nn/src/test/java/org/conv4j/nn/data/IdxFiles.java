package org.conv4j.nn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes tiny IDX files for tests. */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file of unsigned bytes with the given extents and values. */
    public static byte[] idx(int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(values).array();
    }

    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /**
     * A four-file IDX dataset in {@code dir}: {@code n} training and {@code n/2} test images of size x size, two
     * classes (bright or dark images, easy to learn), gzip-compressed.
     */
    public static void writeDataset(Path dir, int n, int size) throws IOException {
        Files.createDirectories(dir);
        for (String split : new String[] {"train", "t10k"}) {
            int count = split.equals("train") ? n : n / 2;
            byte[] px = new byte[count * size * size];
            byte[] labels = new byte[count];
            java.util.SplittableRandom r = new java.util.SplittableRandom(split.hashCode());
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) (i % 2);
                for (int j = 0; j < size * size; j++) {
                    px[i * size * size + j] = (byte) (labels[i] == 1 ? 128 + r.nextInt(128) : r.nextInt(128));
                }
            }
            Files.write(dir.resolve(split + "-images-idx3-ubyte.gz"), gzip(idx(new int[] {count, size, size}, px)));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), gzip(idx(new int[] {count}, labels)));
        }
    }
}
