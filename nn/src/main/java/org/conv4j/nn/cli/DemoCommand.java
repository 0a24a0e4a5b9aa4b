package org.conv4j.nn.cli;

import java.util.concurrent.Callable;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.conv4j.core.examples.LectureExamples;
import picocli.CommandLine.Command;

/** {@code conv4j demo}: the lecture's worked template-matching convolution, run on the selected engine. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Cross-correlate the lecture's 8x8 digit with its 5x3 \"2\" template and max-pool the result.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        ConvEngine engine = ConvEngines.preferred();
        Tensor image = Tensor.of(LectureExamples.DIGIT_TWO, 1, 1, 8, 8);
        Tensor template = Tensor.of(LectureExamples.TEMPLATE_TWO, 1, 1, 5, 3);
        System.out.println("Image (8x8):");
        print(image, 8, 8);
        System.out.println("Template \"2\" (5x3):");
        print(template, 5, 3);

        Tensor valid = engine.forward(image, template, null, Conv2dSpec.DEFAULT);
        System.out.println("Cross-correlation, no padding (4x6), engine '" + engine.name() + "':");
        print(valid, 4, 6);
        float max = Pooling.globalMaxForward(valid).data()[0];
        System.out.printf("Global max-pool: %.0f (how much the image looks like a \"2\" anywhere)%n%n", max);

        Conv2dSpec padded = Conv2dSpec.builder().pad(2, 2, 1, 1).build();
        Tensor same = engine.forward(image, template, null, padded);
        System.out.println("Zero-padded 2 rows top/bottom, 1 column left/right (8x8):");
        print(same, 8, 8);
        Tensor strided = engine.forward(image, template, null, padded.toBuilder().stride(2).build());
        System.out.println("The same padding with stride 2 (4x4):");
        print(strided, 4, 4);

        System.out.println("Engines available: " + ConvEngines.names() + " (selected: " + engine.name() + ")");
        return 0;
    }

    private static void print(Tensor t, int rows, int cols) {
        float[] d = t.data();
        for (int r = 0; r < rows; r++) {
            StringBuilder sb = new StringBuilder("  ");
            for (int c = 0; c < cols; c++) {
                sb.append(String.format("%4.0f", d[r * cols + c]));
            }
            System.out.println(sb);
        }
        System.out.println();
    }
}
