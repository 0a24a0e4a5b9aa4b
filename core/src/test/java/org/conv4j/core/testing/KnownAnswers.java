package org.conv4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.Pooling;
import org.conv4j.core.Tensor;
import org.conv4j.core.examples.LectureExamples;
import org.conv4j.core.examples.LectureExamples.Example;

/** The lecture's worked examples as known answers any engine must reproduce exactly. */
public final class KnownAnswers {
    private KnownAnswers() {
    }

    /** Asserts the engine reproduces every worked example, and the max-pool of the template response (11). */
    public static void assertKnownAnswers(ConvEngine engine) {
        for (Example ex : LectureExamples.all()) {
            Tensor out = engine.forward(ex.input(), ex.weight(), null, ex.spec());
            assertArrayEquals(ex.outputShape(), out.shape(), ex.name());
            float[] got = new float[ex.shownAt().length];
            for (int i = 0; i < got.length; i++) {
                got[i] = out.data()[ex.shownAt()[i]];
            }
            assertArrayEquals(ex.shown(), got, 0f, () -> engine.name() + ": " + ex.name() + " gave "
                    + Arrays.toString(out.data()));
        }
        Example first = LectureExamples.all().getFirst();
        Tensor response = engine.forward(first.input(), first.weight(), null, first.spec());
        assertEquals(11f, Pooling.globalMaxForward(response).data()[0], engine.name() + ": global max-pool");
    }
}
