package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.conv4j.nn.cli.CommandRun;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PaddingStrideDilationTest {

    static Stream<ConvEngine> engines() {
        return ConvEngines.available().stream();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void everyGridHasTheLecturesNumbers(ConvEngine engine) {
        List<PaddingStrideDilation.Worked> all = PaddingStrideDilation.examples(engine);
        assertEquals(12, all.size());
        int checked = 0;
        for (PaddingStrideDilation.Worked w : all) {
            assertArrayEquals(w.shown(), w.computedAtShown(), w.title() + " on " + engine.name());
            checked += w.shown().length;
        }
        assertTrue(checked >= 35, "values compared with the slides: " + checked);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void theWorkedGridsInFull(ConvEngine engine) {
        List<PaddingStrideDilation.Worked> all = PaddingStrideDilation.examples(engine);
        // the template response, counted by hand from the image and the "2" template
        assertArrayEquals(new float[] {
            6, 11, 6, 3, 0, 0,
            2, 4, 2, 2, 0, 0,
            4, 6, 4, 2, 0, 0,
            2, 2, 0, 0, 0, 0}, find(all, "template matching, no padding").output().data());
        assertArrayEquals(new int[] {1, 1, 4, 4}, find(all, "padding and stride 2").output().shape());
        assertArrayEquals(new int[] {1, 1, 3, 3}, find(all, "dilation 2").output().shape());
        // 1x1 convolution: -1, 2, 3 times the three maps at each position
        assertArrayEquals(new float[] {47, 37, -22, 1, 4, -11}, find(all, "1x1 convolution").output().data());
        assertArrayEquals(new float[] {
            11, 11, 6, 3, 0,
            6, 6, 4, 2, 0,
            6, 6, 4, 2, 0}, find(all, "w=2, k=1").output().data());
        assertArrayEquals(new int[] {1, 1, 3, 5}, find(all, "w=2, k=1").output().shape());
        assertArrayEquals(new float[] {11, 6, 0, 6, 4, 0}, find(all, "w=2, k=2").output().data());
        assertArrayEquals(new int[] {1, 1, 2, 3}, find(all, "w=2, k=2").output().shape());
        assertEquals(11, find(all, "global max-pool").output().data()[0]);
        assertEquals(49, find(all, "3-channel RGB").output().data()[0]);
    }

    private static PaddingStrideDilation.Worked find(List<PaddingStrideDilation.Worked> all, String title) {
        return all.stream().filter(w -> w.title().contains(title)).findFirst().orElseThrow(() -> new AssertionError(title));
    }

    @Test
    void theDemoPrintsEachGridAndSaysItEqualsTheLecture(@TempDir Path dir) {
        CommandRun.Result r = CommandRun.demo("padding-stride-dilation", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(10, r.out().split(": equal\n", -1).length - 1, r::toString);
        assertTrue(!r.out().contains("DIFFERENT"), r::toString);
        assertTrue(r.out().contains("   2  6  3  0\n   3 11  3  0\n"), r::toString);
        assertTrue(r.out().contains("  -47 -32  29\n"), r::toString);
        assertTrue(r.out().contains("   47  37 -22\n"), r::toString);
    }
}
