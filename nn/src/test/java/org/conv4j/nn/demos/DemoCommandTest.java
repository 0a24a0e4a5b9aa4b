package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.conv4j.nn.cli.CommandRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void withoutANameListsEveryDemoWithOneLineEach() {
        CommandRun.Result r = CommandRun.demo();
        assertEquals(0, r.code(), r::toString);
        for (Demo d : Demos.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(d.name() + " ") && l.contains(d.summary())),
                    () -> d.name() + " missing from\n" + r.out());
        }
        assertEquals(7, Demos.all().size());
        assertTrue(r.out().contains("Engines available: ["), r::toString);
        assertEquals(java.util.List.of("universal-approximation", "template-matching", "padding-stride-dilation",
                "conv-as-matrix", "parameters", "permutation", "feature-maps"), Demos.names());
    }

    @Test
    void anUnknownNameIsRejectedWithTheList() {
        CommandRun.Result r = CommandRun.demo("template-matchin");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("expected one of [universal-approximation") && r.err().contains("got 'template-matchin'"),
                r::toString);
    }

    @Test
    void dataIsOnlyForThePermutationDemo(@TempDir Path dir) {
        CommandRun.Result r = CommandRun.demo("parameters", "--data", dir.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--data: only the permutation demo"), r::toString);
    }

    @Test
    void aMissingFashionMnistDirectoryIsACleanError(@TempDir Path dir) {
        CommandRun.Result r = CommandRun.demo("permutation", "--data", dir.resolve("nothing-here").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("dataset fashion-mnist not found"), r::toString);
    }

    @Test
    void badNumbersAreRejected(@TempDir Path dir) {
        CommandRun.Result r = CommandRun.demo("feature-maps", "--epochs", "0", "--out", dir.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--epochs: expected >= 1, got 0"), r::toString);
        assertThrows(IllegalArgumentException.class, () -> new DemoOptions(dir, 1, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new DemoOptions(null, 1, null, null, null));
    }

    @Test
    void demosWithoutPicturesWriteNothing(@TempDir Path dir) {
        Path out = dir.resolve("pictures");
        CommandRun.Result r = CommandRun.demo("parameters", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertFalse(Files.exists(out), "parameters draws no picture, so it creates no directory");
    }
}
