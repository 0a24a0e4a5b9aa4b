package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.conv4j.nn.cli.CommandRun;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.Tensor;
import org.conv4j.nn.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateMatchingTest {

    @Test
    void theLectureExampleRespondsTenFourElevenAndIsATwo() {
        TemplateMatching.LectureResult r = TemplateMatching.lectureExample();
        assertEquals(10, r.responses()[0]);
        assertEquals(4, r.responses()[1]);
        assertEquals(11, r.responses()[2]);
        assertEquals(11, r.responses()[8], "the 8 contains every pixel of the 2");
        assertEquals(2, r.predicted());
    }

    @Test
    void theTemplatesOfZeroOneTwoAndNineAreTheLecturesAndTheOthersAreDistinct() {
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1}, TemplateMatching.template(9).data());
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0}, TemplateMatching.template(1).data());
        Tensor all = TemplateMatching.templates();
        assertArrayEquals(new int[] {10, 1, 5, 3}, all.shape());
        for (int a = 0; a < 10; a++) {
            for (int b = a + 1; b < 10; b++) {
                assertTrue(!java.util.Arrays.equals(TemplateMatching.template(a).data(), TemplateMatching.template(b).data()),
                        a + " and " + b + " are drawn the same");
            }
        }
    }

    @Test
    void tiesGoToTheTemplateWithLessInk() {
        float[] r = new float[10];
        r[8] = 11;
        r[2] = 11;
        assertEquals(2, TemplateMatching.predict(r));
        r[2] = 10;
        assertEquals(8, TemplateMatching.predict(r));
        assertEquals(11, TemplateMatching.ink(2));
        assertEquals(13, TemplateMatching.ink(8));
    }

    @Test
    void everyDrawnDigitIsRecognisedWherever_itIsPlaced() {
        TemplateMatching.GlyphInvariance g = TemplateMatching.glyphInvariance(7);
        assertEquals(10 * TemplateMatching.PLACEMENTS, g.placements());
        assertEquals(g.placements(), g.correct());
        assertEquals(g.placements(), g.sameResponses(), "with full padding the pooled responses cannot depend on position");
    }

    @Test
    void withoutPaddingOnlyThePredictionIsInvariantNotEveryResponse() {
        // the "1" in the top-left corner: templates that would have to hang over the border to match it score less
        Tensor glyph = TemplateMatching.template(1);
        Tensor corner = Tensor.zeros(1, 1, 16, 16);
        Tensor middle = Tensor.zeros(1, 1, 16, 16);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 3; c++) {
                corner.data()[r * 16 + c] = glyph.data()[r * 3 + c];
                middle.data()[(r + 6) * 16 + c + 6] = glyph.data()[r * 3 + c];
            }
        }
        float[][] valid = TemplateMatching.responses(Tensor.wrap(concat(corner, middle), 2, 1, 16, 16), Conv2dSpec.DEFAULT);
        assertEquals(1, TemplateMatching.predict(valid[0]));
        assertEquals(1, TemplateMatching.predict(valid[1]));
        assertTrue(!java.util.Arrays.equals(valid[0], valid[1]), "a valid convolution scores the corner glyph differently");
    }

    private static float[] concat(Tensor a, Tensor b) {
        float[] all = java.util.Arrays.copyOf(a.data(), a.size() + b.size());
        System.arraycopy(b.data(), 0, all, a.size(), b.size());
        return all;
    }

    @Test
    void heldOutDigitsKeepTheirPredictionWhenMovedIntoALargerImage() {
        Dataset test = DemoTraining.digits()[1];
        TemplateMatching.DatasetInvariance d = TemplateMatching.datasetInvariance(test, 11);
        assertEquals(test.size(), d.images());
        assertEquals(d.images(), d.samePrediction());
        Tensor moved = TemplateMatching.placedAtRandom(TemplateMatching.images(test), 16, new SplittableRandom(11));
        float sum = 0;
        for (float v : moved.data()) {
            sum += v;
        }
        float original = 0;
        for (float v : test.images()) {
            original += v;
        }
        assertEquals(original, sum, 1e-3f * original, "placing copies every pixel once");
    }

    @Test
    void aTrainedCnnBeatsTheHandDrawnTemplatesOnTheDigitsSet() {
        TemplateMatching.Comparison c = TemplateMatching.compareWithCnn(3, 42, null);
        assertEquals(359, c.testImages());
        assertTrue(c.templateAccuracy() > 0.12, "templates should beat chance (10%): " + c);
        assertTrue(c.cnnAccuracy() > 0.85 && c.cnnAccuracy() > c.templateAccuracy() + 0.5, c::toString);
    }

    @Test
    void theDemoPrintsTheResponsesAndThePrediction(@TempDir Path dir) throws Exception {
        CommandRun.Result r = CommandRun.demo("template-matching", "--epochs", "1", "--limit", "300", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("  response   10   4  11  10   7   9  10   6  11  10"), r::toString);
        assertTrue(r.out().contains("predicted: 2"), r::toString);
        assertTrue(r.out().contains("predicted correctly: 200 of 200"), r::toString);
        assertTrue(r.out().contains("same prediction for 359 of 359"), r::toString);
        java.util.List<TileSheet.Section> sections = TemplateMatching.pictureSections(42);
        assertEquals(java.util.List.of(1, 10, 10, TemplateMatching.PICTURE_PLACEMENTS),
                sections.stream().map(s -> s.tiles().size()).toList());
        assertTrue(sections.get(3).tiles().stream().allMatch(t -> t.label().equals("predicted 2")));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(dir.resolve(TemplateMatching.PICTURE).toFile());
        assertEquals(TileSheet.width(sections), png.getWidth());
        assertEquals(TileSheet.height(sections), png.getHeight());
    }
}
