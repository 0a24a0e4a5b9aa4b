package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.conv4j.core.examples.LectureExamples;
import org.conv4j.core.testing.KnownAnswers;
import org.junit.jupiter.api.Test;

/** The lecture's worked examples, on the naive engine, plus the full hand-computed 4x6 valid output. */
class KnownAnswersTest {
    @Test
    void naiveReproducesTheLecture() {
        KnownAnswers.assertKnownAnswers(new NaiveConvEngine());
    }

    @Test
    void fullValidTemplateResponse() {
        // every element computed by hand from the lecture's image and "2" template
        Tensor out = new NaiveConvEngine().forward(Tensor.of(LectureExamples.DIGIT_TWO, 1, 1, 8, 8),
                Tensor.of(LectureExamples.TEMPLATE_TWO, 1, 1, 5, 3), null, Conv2dSpec.DEFAULT);
        assertArrayEquals(new float[] {
            6, 11, 6, 3, 0, 0,
            2, 4, 2, 2, 0, 0,
            4, 6, 4, 2, 0, 0,
            2, 2, 0, 0, 0, 0,
        }, out.data(), 0f);
    }

    @Test
    void biasIsAddedToEveryOutput() {
        Tensor out = new NaiveConvEngine().forward(Tensor.of(new float[] {1, 2, -2, 0, 3}, 1, 1, 1, 5),
                Tensor.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 1, 1, 3), Tensor.of(new float[] {0.5f, -1}, 2),
                Conv2dSpec.DEFAULT);
        // channel 0: [1,2,3] -> [-1,-2,7] + 0.5; channel 1: [-1,0,1] -> [-3,-2,5] - 1
        assertArrayEquals(new float[] {-0.5f, -1.5f, 7.5f, -4, -3, 4}, out.data(), 0f);
    }
}
