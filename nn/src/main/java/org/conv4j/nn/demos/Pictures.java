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

    /** The charts left to right in one PNG. */
    static void charts(Path png, List<XYChart> charts) throws IOException {
        List<BufferedImage> images = charts.stream().map(BitmapEncoder::getBufferedImage).toList();
        int width = images.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage im : images) {
            g.drawImage(im, x, 0, null);
            x += im.getWidth();
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
