package org.conv4j.nn.demos;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A picture of small matrices (filters, feature maps, convolution matrices) as labelled tiles in sections, one
 * grid of tiles per section. Signed data is drawn blue (negative) - white (0) - red (positive), scaled by its
 * largest magnitude; unsigned data black (its minimum) to white (its maximum). Every tile of a section gets the
 * same box, so the picture's size follows from the layout alone ({@link #width}, {@link #height}).
 */
final class TileSheet {
    static final int MARGIN = 10;
    static final int GAP = 8;
    static final int HEADING = 22;
    static final int LABEL = 16;

    /** One matrix: {@code rows x cols} values from {@code data[offset..]}, row-major. */
    record Tile(String label, float[] data, int offset, int rows, int cols, boolean signed) {
    }

    /** A heading and its tiles, {@code columns} to a row, each value drawn as a {@code cell x cell} square. */
    record Section(String heading, List<Tile> tiles, int columns, int cell) {
        int boxWidth() {
            return tiles.stream().mapToInt(Tile::cols).max().orElse(0) * cell;
        }

        int boxHeight() {
            return tiles.stream().mapToInt(Tile::rows).max().orElse(0) * cell;
        }

        int gridRows() {
            return (tiles.size() + columns - 1) / columns;
        }

        int width() {
            int cols = Math.min(columns, tiles.size());
            return cols * boxWidth() + (cols - 1) * GAP;
        }

        int height() {
            return HEADING + gridRows() * (boxHeight() + LABEL + GAP);
        }
    }

    private TileSheet() {
    }

    static int width(List<Section> sections) {
        return 2 * MARGIN + sections.stream().mapToInt(Section::width).max().orElse(0);
    }

    static int height(List<Section> sections) {
        return 2 * MARGIN + sections.stream().mapToInt(Section::height).sum();
    }

    static BufferedImage render(List<Section> sections) {
        BufferedImage im = new BufferedImage(width(sections), height(sections), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, im.getWidth(), im.getHeight());
        int y = MARGIN;
        for (Section s : sections) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(s.heading(), MARGIN, y + HEADING - 7);
            y += HEADING;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < s.tiles().size(); i++) {
                int x0 = MARGIN + (i % s.columns()) * (s.boxWidth() + GAP);
                int y0 = y + (i / s.columns()) * (s.boxHeight() + LABEL + GAP);
                Tile t = s.tiles().get(i);
                draw(g, t, x0, y0, s.cell());
                g.setColor(Color.DARK_GRAY);
                g.drawString(t.label(), x0, y0 + s.boxHeight() + LABEL - 4);
            }
            y += s.gridRows() * (s.boxHeight() + LABEL + GAP);
        }
        g.dispose();
        return im;
    }

    private static void draw(Graphics2D g, Tile t, int x0, int y0, int cell) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < t.rows() * t.cols(); i++) {
            float v = t.data()[t.offset() + i];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float scale = Math.max(Math.abs(min), Math.abs(max));
        for (int r = 0; r < t.rows(); r++) {
            for (int c = 0; c < t.cols(); c++) {
                float v = t.data()[t.offset() + r * t.cols() + c];
                g.setColor(t.signed() ? diverging(scale == 0 ? 0 : v / scale) : grey(max == min ? 0 : (v - min) / (max - min)));
                g.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
            }
        }
        g.setColor(Color.GRAY); // a frame, so white-on-white tiles keep their outline
        g.drawRect(x0, y0, t.cols() * cell - 1, t.rows() * cell - 1);
    }

    /** -1 blue, 0 white, +1 red. */
    private static Color diverging(float v) {
        int fade = Math.round(255 * (1 - Math.min(1, Math.abs(v))));
        return v >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }

    private static Color grey(float v) {
        int level = Math.round(255 * Math.min(1, Math.max(0, v)));
        return new Color(level, level, level);
    }
}
