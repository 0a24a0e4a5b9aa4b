package org.conv4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsPlainAndGzipIdx() throws IOException {
        byte[] px = {0, (byte) 255, 51, 102, 1, 2, 3, 4};
        byte[] raw = IdxFiles.idx(new int[] {2, 2, 2}, px);
        Path plain = write("img", raw), gz = write("img.gz", IdxFiles.gzip(raw));
        Path labels = write("lab", IdxFiles.idx(new int[] {2}, new byte[] {3, 9}));
        for (Path images : new Path[] {plain, gz}) {
            Dataset d = IdxReader.read("t", images, labels);
            assertEquals(2, d.size());
            assertEquals(10, d.classes());
            assertArrayEquals(new int[] {1, 2, 2}, d.imageShape());
            assertEquals(1f, d.images()[1]);
            assertEquals(0.2f, d.images()[2], 1e-7);
            assertArrayEquals(new int[] {3, 9}, d.labels());
        }
    }

    private void assertIoError(Path p, int dims, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p, dims));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
    }

    @Test
    void truncatedForeignAndCorruptFilesNameTheFile() throws IOException {
        byte[] raw = IdxFiles.idx(new int[] {3, 2, 2}, new byte[12]);
        assertIoError(write("short", Arrays.copyOf(raw, raw.length - 1)), 3, "truncated", "promises 28 bytes, got 27");
        assertIoError(write("long", Arrays.copyOf(raw, raw.length + 5)), 3, "oversized");
        assertIoError(write("short.gz", IdxFiles.gzip(Arrays.copyOf(raw, 10))), 3, "truncated IDX header");
        assertIoError(write("foreign.png", "\u0089PNG\r\n\u001a\n....".getBytes(StandardCharsets.ISO_8859_1)), 3, "magic");
        assertIoError(write("labels-as-images", IdxFiles.idx(new int[] {3}, new byte[3])), 3, "0x00000803", "0x00000801");
        assertIoError(write("tiny", new byte[] {0, 0}), 3, "shorter");
        byte[] gz = IdxFiles.gzip(raw);
        assertIoError(write("cut.gz", Arrays.copyOf(gz, gz.length - 12)), 3, "gzip");
        assertIoError(dir.resolve("missing"), 3, "no such file");
        assertIoError(dir, 3, "directory");
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path images = write("i", IdxFiles.idx(new int[] {3, 1, 1}, new byte[3]));
        Path labels = write("l", IdxFiles.idx(new int[] {2}, new byte[2]));
        IOException e = assertThrows(IOException.class, () -> IdxReader.read("t", images, labels));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
    }

    @Test
    void locatorSearchesDataDirThenEnvThenSystem() throws IOException {
        IdxFiles.writeDataset(dir.resolve("fashion-mnist"), 4, 3);
        assertEquals(dir.resolve("fashion-mnist"), DatasetLocator.locate("fashion-mnist", dir, null));
        assertEquals(dir.resolve("fashion-mnist"), DatasetLocator.locate("fashion-mnist", null, dir.toString()));
        Dataset[] sets = DatasetLocator.load("fashion-mnist", dir.resolve("fashion-mnist"), null);
        assertEquals(4, sets[0].size());
        assertEquals(2, sets[1].size());
        IOException e = assertThrows(IOException.class, () -> DatasetLocator.locate("fashion-mnist", dir.resolve("nope"), null));
        assertTrue(e.getMessage().contains(dir.resolve("nope").toString()) && e.getMessage().contains("--data"), e.getMessage());
    }

    @Test
    void embeddedDigits() {
        Dataset d = DigitsCsv.embedded();
        assertEquals(1797, d.size());
        assertArrayEquals(new int[] {1, 8, 8}, d.imageShape());
        int[] perClass = new int[10];
        for (int y : d.labels()) {
            perClass[y]++;
        }
        for (int c : perClass) {
            assertTrue(c > 170 && c < 190, Arrays.toString(perClass));
        }
        Dataset[] split = d.split(0.2, 7);
        assertEquals(1797, split[0].size() + split[1].size());
        assertEquals(359, split[1].size(), 1); // stratified: 20% of each class, rounded per class
        assertArrayEquals(split[1].labels(), d.split(0.2, 7)[1].labels());
    }

    @Test
    void digitsCsvErrorsNameLineAndValue() {
        IOException e = assertThrows(IOException.class, () -> DigitsCsv.read("x.csv",
                new ByteArrayInputStream(("0,".repeat(64) + "11\n").getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("x.csv:1") && e.getMessage().contains("0..9"), e.getMessage());
        e = assertThrows(IOException.class, () -> DigitsCsv.read("y.csv",
                new ByteArrayInputStream("1,2,3\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("y.csv:1") && e.getMessage().contains("65"), e.getMessage());
    }

    @Test
    void miniBatchesCoverEveryImageOncePerEpochInASeededOrder() {
        Dataset d = DigitsCsv.embedded().subset("s", java.util.stream.IntStream.range(0, 50).toArray());
        MiniBatches a = new MiniBatches(d, 16, true, 3), b = new MiniBatches(d, 16, true, 3);
        assertEquals(4, a.count());
        int[] seen = new int[10];
        int total = 0;
        StringBuilder orderA = new StringBuilder(), orderB = new StringBuilder(), orderEpoch1 = new StringBuilder();
        a.start(0);
        b.start(0);
        while (a.hasNext()) {
            a.next();
            b.next();
            for (int i = 0; i < a.size(); i++) {
                seen[a.labels()[i]]++;
                orderA.append(a.labels()[i]);
                orderB.append(b.labels()[i]);
            }
            total += a.size();
        }
        assertEquals(50, total);
        assertEquals(orderA.toString(), orderB.toString());
        a.start(1);
        while (a.hasNext()) {
            a.next();
            for (int i = 0; i < a.size(); i++) {
                orderEpoch1.append(a.labels()[i]);
            }
        }
        assertNotEquals(orderA.toString(), orderEpoch1.toString());
        int[] expected = new int[10];
        for (int y : d.labels()) {
            expected[y]++;
        }
        assertArrayEquals(expected, seen);
    }
}
