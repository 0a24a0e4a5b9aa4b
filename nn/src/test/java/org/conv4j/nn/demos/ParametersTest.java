package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.conv4j.nn.cli.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParametersTest {

    @Test
    void theLecturesLayerHas135WeightsWhereFullyConnectedNeeds34560() {
        Parameters.Counts c = Parameters.count(Parameters.NETWORKS.get(0));
        assertEquals(5 * 3 * 3 * 3, c.convWeights());
        assertEquals(135, c.convWeights());
        assertEquals(192L * 180, c.denseEquivalent());
        assertEquals(34_560, c.denseEquivalent());
        assertEquals(140, c.total(), "135 weights and 5 biases");
        assertTrue(c.summary().contains("34,560") && c.summary().contains("[5, 6, 6]"), c.summary());
    }

    @Test
    void leNet5AndTheSmallCnnAsTheirSummariesCountThem() {
        Parameters.Counts lenet = Parameters.count(Parameters.NETWORKS.get(1));
        // conv 6x1x5x5 + 6, conv 16x6x5x5 + 16, FC 400-120-84-10 with biases
        assertEquals(156 + 2_416 + 48_120 + 10_164 + 850, lenet.total());
        assertEquals(61_706, lenet.total());
        assertEquals(150 + 2_400, lenet.convWeights());
        assertEquals(784L * 6 * 784 + 6L * 14 * 14 * 16 * 10 * 10, lenet.denseEquivalent());
        assertTrue(lenet.summary().contains("Total params: 61,706"), lenet.summary());

        Parameters.Counts small = Parameters.count(Parameters.NETWORKS.get(2));
        // conv 32x1x3x3, bn 2x32, conv 32x32x3x3, bn 2x32, FC 1568-64-10
        assertEquals(288 + 64 + 9_216 + 64 + 100_416 + 650, small.total());
        assertEquals(110_698, small.total());
        assertEquals(9_504, small.convWeights());
        assertTrue(small.summary().contains("Total params: 110,698"), small.summary());
    }

    @Test
    void theDemoPrintsTheCountsAndTheSummaries(@TempDir Path dir) {
        CommandRun.Result r = CommandRun.demo("parameters", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("=     135 weights"), r::toString);
        assertTrue(r.out().contains("=  34,560 weights"), r::toString);
        assertTrue(r.out().contains("256x fewer"), r::toString);
        assertTrue(r.out().contains("Total params: 61,706") && r.out().contains("Total params: 110,698"), r::toString);
    }
}
