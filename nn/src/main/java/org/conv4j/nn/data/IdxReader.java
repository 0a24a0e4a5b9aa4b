package org.conv4j.nn.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the MNIST IDX format (MNIST, Fashion-MNIST, EMNIST, ...), plain or gzip-compressed (detected by its
 * magic bytes, not the file name): a big-endian header {@code 0x00 0x00 type dims}, one 32-bit extent per
 * dimension, then the values. Only unsigned bytes (type 0x08) are accepted, which is what those sets use.
 * Every defect (missing, foreign, truncated or oversized file, a corrupt gzip stream) is an
 * {@link IOException} whose message names the file.
 */
public final class IdxReader {
    /** The type code of unsigned bytes. */
    private static final int UBYTE = 0x08;
    /** A sanity cap: the largest IDX sets (EMNIST by_class, ~800K 28x28 images) are far below it. */
    private static final long MAX_BYTES = (1L << 31) - 1;

    private IdxReader() {
    }

    /** One IDX file: its extents and its values (unsigned bytes). */
    public record IdxFile(Path path, int[] dims, byte[] values) {
    }

    /** Reads and validates a file of unsigned bytes with {@code expectedDims} dimensions. */
    public static IdxFile read(Path path, int expectedDims) throws IOException {
        byte[] bytes = readAll(path);
        if (bytes.length < 4) {
            throw new IOException(path + ": not an IDX file: " + bytes.length + " bytes, shorter than the 4-byte magic number");
        }
        int type = bytes[2] & 0xff, dims = bytes[3] & 0xff;
        if (bytes[0] != 0 || bytes[1] != 0 || type != UBYTE || dims != expectedDims) {
            throw new IOException(String.format("%s: not an IDX file of unsigned bytes with %d dimension%s: expected magic"
                    + " number 0x%08X, got 0x%02X%02X%02X%02X", path, expectedDims, expectedDims == 1 ? "" : "s",
                    (UBYTE << 8) | expectedDims, bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        int header = 4 + 4 * dims;
        if (bytes.length < header) {
            throw new IOException(path + ": truncated IDX header: expected " + header + " bytes, got " + bytes.length);
        }
        int[] extents = new int[dims];
        long count = 1;
        for (int d = 0; d < dims; d++) {
            int o = 4 + 4 * d;
            extents[d] = (bytes[o] & 0xff) << 24 | (bytes[o + 1] & 0xff) << 16 | (bytes[o + 2] & 0xff) << 8 | (bytes[o + 3] & 0xff);
            if (extents[d] < 1) {
                throw new IOException(path + ": IDX dimension " + d + " must be >= 1, got " + extents[d]);
            }
            count *= extents[d];
        }
        long expected = header + count;
        if (bytes.length != expected) {
            throw new IOException(path + ": " + (bytes.length < expected ? "truncated" : "oversized") + " IDX file: header "
                    + Arrays.toString(extents) + " promises " + expected + " bytes, got " + bytes.length);
        }
        return new IdxFile(path, extents, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    /**
     * Images {@code [n, rows, cols]} and labels {@code [n]} as one dataset, pixels scaled to {@code [0, 1]};
     * classes are 0 to the largest label.
     */
    public static Dataset read(String name, Path images, Path labels) throws IOException {
        IdxFile x = read(images, 3);
        IdxFile y = read(labels, 1);
        if (x.dims()[0] != y.dims()[0]) {
            throw new IOException(images + " holds " + x.dims()[0] + " images but " + labels + " holds " + y.dims()[0]
                    + " labels: expected the same count");
        }
        float[] pixels = new float[x.values().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (x.values()[i] & 0xff) / 255f;
        }
        int[] classes = new int[y.values().length];
        int max = 0;
        for (int i = 0; i < classes.length; i++) {
            classes[i] = y.values()[i] & 0xff;
            max = Math.max(max, classes[i]);
        }
        return new Dataset(name, pixels, classes, 1, x.dims()[1], x.dims()[2], max + 1);
    }

    private static byte[] readAll(Path path) throws IOException {
        try {
            if (Files.isDirectory(path)) {
                throw new IOException(path + ": expected an IDX file, got a directory");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new IOException(path + ": " + Files.size(path) + " bytes is more than an IDX file this reader takes ("
                        + MAX_BYTES + ")");
            }
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
                raw.mark(2);
                int b0 = raw.read(), b1 = raw.read();
                raw.reset();
                if (b0 == 0x1f && b1 == 0x8b) {
                    try (InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                        return gz.readNBytes((int) MAX_BYTES);
                    }
                }
                return raw.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file", e);
        } catch (ZipException | java.io.EOFException e) {
            throw new IOException(path + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        }
    }
}
