package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.conv4j.nn.cli.CommandRun;
import org.conv4j.nn.data.Dataset;
import org.conv4j.nn.demos.Permutation.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermutationTest {

    @Test
    void thePermutationMovesEveryPixelOnceAndTheSameWayInEveryImage() {
        Dataset d = DemoTraining.digits()[1];
        int[] perm = Permutation.pixelPermutation(8, 8, 3);
        Dataset p = Permutation.permuted(d, perm);
        assertArrayEquals(d.labels(), p.labels());
        for (int i = 0; i < 5; i++) {
            float[] a = Arrays.copyOfRange(d.images(), i * 64, (i + 1) * 64);
            float[] b = Arrays.copyOfRange(p.images(), i * 64, (i + 1) * 64);
            for (int q = 0; q < 64; q++) {
                assertEquals(a[perm[q]], b[q]);
            }
            Arrays.sort(a);
            Arrays.sort(b);
            assertArrayEquals(a, b);
        }
        int[] identity = new int[64];
        Arrays.setAll(identity, q -> q);
        assertArrayEquals(d.images(), Permutation.permuted(d, identity).images());
        assertThrows(IllegalArgumentException.class, () -> Permutation.permuted(d, new int[63]));
    }

    /**
     * The demo's claim, over three seeds (each its own permutation, initialisation and shuffling) so that one
     * lucky run cannot make it: the CNN's mean accuracy falls by more than three standard errors of the mean, the
     * fully-connected net's changes by less than two.
     */
    @Test
    void theCnnLosesAccuracyUnderPermutationAndTheFullyConnectedNetDoesNot() throws Exception {
        long[] seeds = {42, 1, 2};
        double mlp = 0, cnn = 0, variance = 0;
        for (long seed : seeds) {
            Permutation.Result r = Permutation.compare(null, null, null, seed, List.of(Network.MLP, Network.SMALL_CNN));
            Permutation.Row m = r.row(Network.MLP), c = r.row(Network.SMALL_CNN);
            assertTrue(m.original() > 0.95 && c.original() > 0.92, r::toString);
            assertEquals(m.original(), r.mlpOriginalWeightsPermuted(),
                    "the MLP with its input weights permuted like the pixels is the same function: " + r);
            mlp += m.change() / seeds.length;
            cnn += c.change() / seeds.length;
            double se = Math.max(r.standardError(m), r.standardError(c));
            variance += se * se / (seeds.length * seeds.length);
        }
        double se = Math.sqrt(variance);
        assertTrue(cnn < -3 * se, "CNN mean change " + cnn + ", standard error " + se);
        assertTrue(Math.abs(mlp) < 2 * se, "MLP mean change " + mlp + ", standard error " + se);
    }

    @Test
    void theDemoPrintsTheAccuraciesOfEachNetworkOnBoth(@TempDir Path dir) {
        CommandRun.Result r = CommandRun.demo("permutation", "--epochs", "1", "--limit", "200", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        for (Network n : Network.values()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(n.label) && l.contains("%") && l.contains("±")), r::toString);
        }
        assertTrue(r.out().contains("digits: 359 held-out images, 1 epochs each"), r::toString);
    }

    @Test
    void withDataItReadsFashionMnistIdxFilesAndUsesTheSmallZooCnn(@TempDir Path dir) throws Exception {
        org.conv4j.nn.data.IdxFiles.writeDataset(dir.resolve("fashion-mnist"), 64, 28);
        CommandRun.Result r = CommandRun.demo("permutation", "--data", dir.toString(), "--epochs", "1", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("fashion-mnist: 32 held-out images, 1 epochs each"), r::toString);
        // cnn-small on 28x28 with two classes: 288 + 64 + 9,216 + 64 + (1,568 x 64 + 64) + (64 x 2 + 2) = 110,178
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(Network.CNN.label) && l.contains("110,178")), r::toString);
        // the MLP: 784 x 128 + 128 + 128 x 2 + 2
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(Network.MLP.label) && l.contains("100,738")), r::toString);
    }
}
