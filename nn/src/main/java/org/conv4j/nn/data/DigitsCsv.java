package org.conv4j.nn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The 8x8 digits CSV (UCI "Optical Recognition of Handwritten Digits", E. Alpaydin and C. Kaynak, CC BY 4.0):
 * one image a line, 64 pixel values 0..16 row by row, then the label 0..9. Pixels are scaled to
 * {@code [0, 1]}. The 1,797-image set ships inside this module as {@link #embedded()}.
 */
public final class DigitsCsv {
    /** The resource holding the shipped set, next to this class. */
    public static final String RESOURCE = "digits.csv.gz";
    private static final int PIXELS = 64;
    private static final int MAX_PIXEL = 16;

    private DigitsCsv() {
    }

    /** The shipped 1,797 digits. */
    public static Dataset embedded() {
        try (InputStream in = DigitsCsv.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the embedded digits resource " + RESOURCE + " is missing from the jar");
            }
            return read("digits", new GZIPInputStream(in));
        } catch (IOException e) {
            throw new IllegalStateException("the embedded digits resource is unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads a digits CSV file, gzip-compressed when its name ends in {@code .gz}. */
    public static Dataset read(Path path) throws IOException {
        try (InputStream raw = Files.newInputStream(path)) {
            return read(path.toString(), path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(path + ": no such file", e);
        }
    }

    /** Reads the CSV from a stream; {@code source} names it in error messages. */
    public static Dataset read(String source, InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != PIXELS + 1) {
                throw new IOException(source + ":" + lineNo + ": expected " + (PIXELS + 1) + " comma-separated values, got " + f.length);
            }
            float[] px = new float[PIXELS];
            for (int i = 0; i <= PIXELS; i++) {
                int v;
                try {
                    v = Integer.parseInt(f[i].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(source + ":" + lineNo + ": value " + (i + 1) + ": expected an integer, got '" + f[i] + "'");
                }
                int max = i < PIXELS ? MAX_PIXEL : 9;
                if (v < 0 || v > max) {
                    throw new IOException(source + ":" + lineNo + ": value " + (i + 1) + ": expected 0.." + max + ", got " + v);
                }
                if (i < PIXELS) {
                    px[i] = v / (float) MAX_PIXEL;
                } else {
                    labels.add(v);
                }
            }
            rows.add(px);
        }
        if (rows.isEmpty()) {
            throw new IOException(source + ": no images");
        }
        float[] images = new float[rows.size() * PIXELS];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, images, i * PIXELS, PIXELS);
        }
        return new Dataset("digits", images, labels.stream().mapToInt(Integer::intValue).toArray(), 1, 8, 8, 10);
    }
}
