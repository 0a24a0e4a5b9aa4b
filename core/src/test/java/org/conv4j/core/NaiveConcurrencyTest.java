package org.conv4j.core;

import org.conv4j.core.testing.ConcurrencyCheck;
import org.conv4j.core.testing.ConvProblemGenerator;
import org.junit.jupiter.api.Test;

class NaiveConcurrencyTest {
    @Test
    void manyThreadsGetTheSingleThreadResults() throws Exception {
        ConcurrencyCheck.assertThreadSafe(new NaiveConvEngine(), new ConvProblemGenerator(9).next(12), 4, 3);
    }
}
