package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.conv4j.core.examples.LectureExamples;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.train.Models;

/**
 * The lecture's hand-built digit classifier: cross-correlate the image with one 5x3 template per digit (all ten
 * as the ten output channels of one convolution), global-max-pool each response, predict the largest. Ties go to
 * the template with less ink: the "8" contains every pixel of the "2" and so also responds 11 to the lecture's
 * image, but the "2" explains those 11 pixels with fewer to spare.
 */
public final class TemplateMatching implements Demo {
    public static final int TEMPLATE_HEIGHT = 5;
    public static final int TEMPLATE_WIDTH = 3;
    public static final int DIGITS = 10;
    /**
     * Zero padding of a template's size less one on every side: every placement that overlaps the image at all is
     * scored, so a digit touching the border is matched as well as one in the middle, and the pooled responses do
     * not depend on where in a zero background the digit sits.
     */
    public static final Conv2dSpec FULL_PADDING = Conv2dSpec.builder()
            .pad(TEMPLATE_HEIGHT - 1, TEMPLATE_HEIGHT - 1, TEMPLATE_WIDTH - 1, TEMPLATE_WIDTH - 1).build();
    /** The larger images digits are placed in at random, and how many placements each digit gets. */
    public static final int CANVAS = 16;
    public static final int PLACEMENTS = 20;
    public static final int DEFAULT_EPOCHS = 10;

    /** 0, 1, 2 and 9 as the lecture draws them, the others in the same style. */
    private static final float[][] TEMPLATES = {
        LectureExamples.TEMPLATE_ZERO,
        LectureExamples.TEMPLATE_ONE,
        LectureExamples.TEMPLATE_TWO,
        {1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1},
        {1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1},
        {1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1},
        {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1},
        {1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1},
        {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1},
        {1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1},
    };

    @Override
    public String name() {
        return "template-matching";
    }

    @Override
    public String summary() {
        return "the lecture's digit classifier: one 5x3 template per digit, convolve, max-pool, predict the largest";
    }

    /** The ten templates as the weights {@code [10, 1, 5, 3]} of one convolution. */
    public static Tensor templates() {
        Tensor w = Tensor.zeros(DIGITS, 1, TEMPLATE_HEIGHT, TEMPLATE_WIDTH);
        for (int d = 0; d < DIGITS; d++) {
            System.arraycopy(TEMPLATES[d], 0, w.data(), d * TEMPLATES[d].length, TEMPLATES[d].length);
        }
        return w;
    }

    /** The template of digit {@code d} as a 5x3 image {@code [1, 1, 5, 3]}. */
    public static Tensor template(int d) {
        return Tensor.of(TEMPLATES[d], 1, 1, TEMPLATE_HEIGHT, TEMPLATE_WIDTH);
    }

    /** Global max of each template's response: {@code [N][10]} for images {@code [N, 1, H, W]}. */
    public static float[][] responses(Tensor images, Conv2dSpec spec) {
        Tensor maps = ConvEngines.preferred().forward(images, templates(), null, spec);
        float[] pooled = Pooling.globalMaxForward(maps).data();
        float[][] out = new float[maps.dim(0)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(pooled, i * DIGITS, (i + 1) * DIGITS);
        }
        return out;
    }

    /** The digit whose template responded most; among equal responses the template with the least ink. */
    public static int predict(float[] responses) {
        int best = 0;
        for (int d = 1; d < DIGITS; d++) {
            if (responses[d] > responses[best] || responses[d] == responses[best] && ink(d) < ink(best)) {
                best = d;
            }
        }
        return best;
    }

    /** The number of on-pixels of template {@code d}. */
    public static int ink(int d) {
        int n = 0;
        for (float v : TEMPLATES[d]) {
            n += v != 0 ? 1 : 0;
        }
        return n;
    }

    /** The classifier's predictions (full padding) for images {@code [N, 1, H, W]}. */
    public static int[] predictions(Tensor images) {
        float[][] r = responses(images, FULL_PADDING);
        int[] p = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            p[i] = predict(r[i]);
        }
        return p;
    }

    /** The share of {@code data}'s images the template classifier gets right. */
    public static double accuracy(Dataset data) {
        int[] p = predictions(images(data));
        int hit = 0;
        for (int i = 0; i < p.length; i++) {
            hit += p[i] == data.labels()[i] ? 1 : 0;
        }
        return (double) hit / p.length;
    }

    /** A dataset's images as one tensor {@code [N, 1, H, W]} (no copy). */
    static Tensor images(Dataset data) {
        return Tensor.wrap(data.images(), data.size(), data.channels(), data.height(), data.width());
    }

    /**
     * Copies of {@code images} ({@code [N, 1, h, w]}), each pasted into a zero {@code canvas x canvas} image at its own
     * random position: {@code [N, 1, canvas, canvas]}.
     */
    public static Tensor placedAtRandom(Tensor images, int canvas, SplittableRandom random) {
        int n = images.dim(0), h = images.dim(2), w = images.dim(3);
        if (h > canvas || w > canvas) {
            throw new IllegalArgumentException("canvas: expected at least " + h + "x" + w + ", got " + canvas);
        }
        Tensor out = Tensor.zeros(n, 1, canvas, canvas);
        float[] src = images.data(), dst = out.data();
        for (int i = 0; i < n; i++) {
            int top = random.nextInt(canvas - h + 1), left = random.nextInt(canvas - w + 1);
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, (i * h + r) * w, dst, (i * canvas + top + r) * canvas + left, w);
            }
        }
        return out;
    }

    /** The lecture's 8x8 "2" and the valid (unpadded) responses of the ten templates, as on the slides. */
    public record LectureResult(float[] responses, int predicted) {
    }

    public static LectureResult lectureExample() {
        float[] r = responses(Tensor.of(LectureExamples.DIGIT_TWO, 1, 1, 8, 8), Conv2dSpec.DEFAULT)[0];
        return new LectureResult(r, predict(r));
    }

    /**
     * Each drawn digit at {@link #PLACEMENTS} random positions of a blank canvas: how many placements keep the
     * prediction equal to the digit, and how many keep the whole vector of pooled responses unchanged.
     */
    public record GlyphInvariance(int placements, int correct, int sameResponses) {
    }

    public static GlyphInvariance glyphInvariance(long seed) {
        Tensor glyphs = Tensor.zeros(DIGITS * PLACEMENTS, 1, TEMPLATE_HEIGHT, TEMPLATE_WIDTH);
        for (int i = 0; i < DIGITS * PLACEMENTS; i++) {
            System.arraycopy(TEMPLATES[i / PLACEMENTS], 0, glyphs.data(), i * TEMPLATES[0].length, TEMPLATES[0].length);
        }
        float[][] reference = responses(glyphs, FULL_PADDING);
        float[][] placed = responses(placedAtRandom(glyphs, CANVAS, new SplittableRandom(seed)), FULL_PADDING);
        int correct = 0, same = 0;
        for (int i = 0; i < placed.length; i++) {
            correct += predict(placed[i]) == i / PLACEMENTS ? 1 : 0;
            same += java.util.Arrays.equals(placed[i], reference[i]) ? 1 : 0;
        }
        return new GlyphInvariance(placed.length, correct, same);
    }

    /** How many test digits keep their prediction when moved to a random position of a larger canvas. */
    public record DatasetInvariance(int images, int samePrediction) {
    }

    public static DatasetInvariance datasetInvariance(Dataset test, long seed) {
        Tensor original = images(test);
        int[] before = predictions(original);
        int[] after = predictions(placedAtRandom(original, CANVAS, new SplittableRandom(seed)));
        int same = 0;
        for (int i = 0; i < before.length; i++) {
            same += before[i] == after[i] ? 1 : 0;
        }
        return new DatasetInvariance(before.length, same);
    }

    /** Test accuracy of the template classifier and of the trained digits CNN on the same held-out digits. */
    public record Comparison(int testImages, double templateAccuracy, double cnnAccuracy, int epochs) {
    }

    public static Comparison compareWithCnn(int epochs, long seed, Integer limit) {
        Dataset[] raw = DemoTraining.digits();
        double templates = accuracy(raw[1]);
        Dataset[] norm = DemoTraining.normalized(DemoTraining.limited(raw[0], limit), raw[1]);
        double cnn = DemoTraining.trainAndTest(Models.build("digits-cnn", norm[0].imageShape(), 10, seed),
                norm[0], norm[1], epochs, seed);
        return new Comparison(raw[1].size(), templates, cnn, epochs);
    }

    /** Copies of the lecture's "2" placed at random in the picture. */
    static final int PICTURE_PLACEMENTS = 5;
    public static final String PICTURE = "template-matching.png";

    /**
     * The picture's sections: the lecture's image, the ten templates, their unpadded responses to the image with
     * each global maximum, and the "2" at random positions with the classifier's prediction.
     */
    static List<TileSheet.Section> pictureSections(long seed) {
        List<TileSheet.Tile> templates = new ArrayList<>(), maps = new ArrayList<>(), placed = new ArrayList<>();
        Tensor image = Tensor.of(LectureExamples.DIGIT_TWO, 1, 1, 8, 8);
        Tensor responses = ConvEngines.preferred().forward(image, templates(), null, Conv2dSpec.DEFAULT);
        int plane = responses.dim(2) * responses.dim(3);
        float[] pooled = lectureExample().responses();
        for (int d = 0; d < DIGITS; d++) {
            templates.add(new TileSheet.Tile("\"" + d + "\"", TEMPLATES[d], 0, TEMPLATE_HEIGHT, TEMPLATE_WIDTH, false));
            maps.add(new TileSheet.Tile(d + ": max " + Grids.number(pooled[d]), responses.data(), d * plane,
                    responses.dim(2), responses.dim(3), false));
        }
        Tensor copies = Tensor.zeros(PICTURE_PLACEMENTS, 1, TEMPLATE_HEIGHT, TEMPLATE_WIDTH);
        for (int i = 0; i < PICTURE_PLACEMENTS; i++) {
            System.arraycopy(TEMPLATES[2], 0, copies.data(), i * TEMPLATES[2].length, TEMPLATES[2].length);
        }
        Tensor moved = placedAtRandom(copies, CANVAS, new SplittableRandom(seed));
        int[] predicted = predictions(moved);
        for (int i = 0; i < PICTURE_PLACEMENTS; i++) {
            placed.add(new TileSheet.Tile("predicted " + predicted[i], moved.data(), i * CANVAS * CANVAS, CANVAS, CANVAS, false));
        }
        return List.of(
                new TileSheet.Section("the lecture's image", List.of(new TileSheet.Tile("8x8", image.data(), 0, 8, 8, false)),
                        1, 12),
                new TileSheet.Section("one 5x3 template per digit", templates, DIGITS, 12),
                new TileSheet.Section("their responses to the image (no padding; white = largest) and global max-pool",
                        maps, DIGITS, 12),
                new TileSheet.Section("the \"2\" anywhere in a 16x16 image (full padding)", placed, DIGITS, 6));
    }

    @Override
    public void run(DemoOptions options, PrintStream out) throws IOException {
        out.println("The lecture's 8x8 image:");
        out.print(Grids.of(LectureExamples.DIGIT_TWO, 0, 8, 8, "  "));
        out.println("One 5x3 template per digit (0, 1, 2, 9 as in the lecture, the others drawn the same way):");
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < TEMPLATE_HEIGHT; r++) {
            rows.append("  ");
            for (int d = 0; d < DIGITS; d++) {
                rows.append(Grids.of(TEMPLATES[d], r * TEMPLATE_WIDTH, 1, TEMPLATE_WIDTH, "").strip()).append("   ");
            }
            rows.append('\n');
        }
        out.print(rows);
        LectureResult lecture = lectureExample();
        out.println("Cross-correlate with each template (no padding), global max-pool each response:");
        StringBuilder line = new StringBuilder("  digit    ");
        StringBuilder resp = new StringBuilder("  response ");
        for (int d = 0; d < DIGITS; d++) {
            line.append(String.format("%4d", d));
            resp.append(String.format("%4s", Grids.number(lecture.responses()[d])));
        }
        out.println(line);
        out.println(resp);
        out.printf(Locale.ROOT, "  predicted: %d (the lecture: 10 for \"0\", 4 for \"1\", 11 for \"2\"; \"8\" ties at 11"
                + " because it contains the whole \"2\", and ties go to the template with less ink)%n%n", lecture.predicted());

        GlyphInvariance glyphs = glyphInvariance(options.seed());
        out.printf(Locale.ROOT, "Translation invariance: each drawn digit at %d random positions of a %dx%d image (seed %d):%n",
                PLACEMENTS, CANVAS, CANVAS, options.seed());
        out.printf(Locale.ROOT, "  predicted correctly: %d of %d; pooled responses identical to the unplaced digit's: %d of %d%n",
                glyphs.correct(), glyphs.placements(), glyphs.sameResponses(), glyphs.placements());
        Dataset[] digits = DemoTraining.digits();
        DatasetInvariance moved = datasetInvariance(digits[1], options.seed());
        out.printf(Locale.ROOT, "  %d held-out 8x8 digits moved into %dx%d images: same prediction for %d of %d%n%n",
                moved.images(), CANVAS, CANVAS, moved.samePrediction(), moved.images());

        Comparison c = compareWithCnn(options.epochsOr(DEFAULT_EPOCHS), options.seed(), options.limit());
        out.printf(Locale.ROOT, "Accuracy on the %d held-out images of the 8x8 digits set:%n", c.testImages());
        out.printf(Locale.ROOT, "  templates (hand-drawn, no training): %5.1f%%%n", 100 * c.templateAccuracy());
        out.printf(Locale.ROOT, "  digits-cnn (%d epochs, seed %d):      %5.1f%%%n", c.epochs(), options.seed(),
                100 * c.cnnAccuracy());
        out.println("  The idea scales: a CNN learns its templates (filters) from data instead of having them drawn.");
        Path png = options.picture(PICTURE);
        Pictures.write(png, TileSheet.render(pictureSections(options.seed())));
        out.println("picture of the templates, their responses and the moved \"2\": " + png);
    }
}
