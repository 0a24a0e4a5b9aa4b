package org.conv4j.nn.demos;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.conv4j.nn.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** Writing the demos' PNG files: XChart plots side by side, or any image, replaced atomically. */
final class Pictures {
    private Pictures() {
    }

    /** The charts in one PNG, {@code columns} to a row, each in a cell the size of the largest. */
    static void charts(Path png, List<XYChart> charts, int columns) throws IOException {
        List<BufferedImage> images = charts.stream().map(BitmapEncoder::getBufferedImage).toList();
        int cellW = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int cellH = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int cols = Math.min(columns, images.size()), rows = (images.size() + columns - 1) / columns;
        BufferedImage all = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % columns) * cellW, (i / columns) * cellH, null);
        }
        g.dispose();
        write(png, all);
    }

    static void write(Path png, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer in this JVM");
        }
        AtomicFiles.write(png, bytes.toByteArray());
    }
}
