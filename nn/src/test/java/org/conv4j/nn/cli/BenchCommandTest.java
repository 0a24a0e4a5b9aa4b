package org.conv4j.nn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conv4j bench} hands its options to the checkout's bench/run and passes its exit code back. */
class BenchCommandTest {

    private static CommandRun.Result benchIn(Path home, String... args) {
        String saved = System.getProperty(BenchCommand.HOME_PROPERTY);
        System.setProperty(BenchCommand.HOME_PROPERTY, home.toString());
        try {
            String[] all = new String[args.length + 1];
            all[0] = "bench";
            System.arraycopy(args, 0, all, 1, args.length);
            return CommandRun.run(all);
        } finally {
            if (saved == null) {
                System.clearProperty(BenchCommand.HOME_PROPERTY);
            } else {
                System.setProperty(BenchCommand.HOME_PROPERTY, saved);
            }
        }
    }

    @Test
    void runsTheCheckoutsScriptWithTheOptions(@TempDir Path home) throws IOException {
        Path script = Files.createDirectories(home.resolve("bench")).resolve("run");
        Files.writeString(script, "#!/bin/sh\necho \"bench/run got: $*\"\nexit 7\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        CommandRun.Result r = benchIn(home, "--quick", "--engines", "simd,im2col");
        assertEquals(7, r.code(), r.toString());
        assertTrue(r.out().contains("bench/run got: --quick --engines simd,im2col"), r.toString());
    }

    @Test
    void withoutACheckoutItSaysWhatIsMissing(@TempDir Path home) {
        CommandRun.Result r = benchIn(home, "--quick");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("bench") && r.err().contains("run") && r.err().contains("checkout"), r.toString());
    }
}
