package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.conv4j.nn.cli.CommandRun;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.NaiveConvEngine;
import org.conv4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureMapsTest {

    @Test
    void theMapsAreTheFirstLayersReluOfTheFiltersOverTheImage() {
        FeatureMaps.Result r = FeatureMaps.compute(1, 42, 300, 5);
        assertArrayEquals(new int[] {16, 1, 3, 3}, r.filters().shape());
        assertArrayEquals(new int[] {1, 16, 8, 8}, r.maps().shape());
        assertArrayEquals(new int[] {1, 1, 8, 8}, r.image().shape());
        assertEquals(DemoTraining.digits()[1].labels()[5], r.label());
        // the shown image is the raw digit; the network saw it normalised with the training split's statistics
        Tensor normalised = r.image().copy();
        double[] ms = DemoTraining.limited(DemoTraining.digits()[0], 300).meanAndStd();
        for (int i = 0; i < normalised.size(); i++) {
            normalised.data()[i] = (float) ((normalised.data()[i] - ms[0]) / ms[1]);
        }
        Tensor conv = new NaiveConvEngine().forward(normalised, r.filters(), r.bias(), Conv2dSpec.same(3));
        for (int i = 0; i < conv.size(); i++) {
            assertEquals(Math.max(0, conv.data()[i]), r.maps().data()[i], 1e-4);
        }
    }

    @Test
    void thePictureIsAGridOfTheImageSixteenFiltersAndSixteenMaps(@TempDir Path dir) throws Exception {
        CommandRun.Result r = CommandRun.demo("feature-maps", "--epochs", "1", "--limit", "300", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        BufferedImage png = ImageIO.read(dir.resolve(FeatureMaps.PICTURE).toFile());
        // 8 tiles a row: 8 x 128-pixel maps and 7 gaps of 8 between margins of 10
        assertEquals(10 + 8 * 128 + 7 * 8 + 10, png.getWidth());
        // image row (one 128 tile), 2 rows of 96-pixel filters, 2 rows of 128-pixel maps; headings 22, labels 16, gaps 8
        assertEquals(10 + (22 + 152) + (22 + 2 * 120) + (22 + 2 * 152) + 10, png.getHeight());
        assertTrue(r.out().contains("picture (1100 x 782 pixels, 16 filters and 16 maps, 8 to a row)"), r::toString);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < png.getHeight(); y += 3) {
            for (int x = 0; x < png.getWidth(); x += 3) {
                colours.add(png.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 100, "filters and maps drawn in many shades, got " + colours.size());
    }
}
