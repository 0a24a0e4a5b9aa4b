package org.conv4j.nn.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.conv4j.nn.cli.CommandRun;
import org.conv4j.nn.Sequential;
import org.conv4j.nn.demos.UniversalApproximation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UniversalApproximationTest {
    /** Each target's errors, computed once for the tests that read them. */
    private static final java.util.Map<Target, UniversalApproximation.Errors> ERRORS = new java.util.concurrent.ConcurrentHashMap<>();

    private static UniversalApproximation.Errors errors(Target t) {
        return ERRORS.computeIfAbsent(t, UniversalApproximation::errors);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void theLargestErrorFallsBelowEpsilonAsHiddenUnitsAreAdded(Target t) {
        UniversalApproximation.Errors e = errors(t);
        double[] fitted = e.fitted();
        assertTrue(fitted[0] > UniversalApproximation.EPSILON, () -> t + ": 2 units should not suffice yet: " + fitted[0]);
        for (int i = 1; i < fitted.length; i++) {
            // each doubling of the hidden layer cuts the largest error by at least a third
            assertTrue(fitted[i] < 0.67 * fitted[i - 1], t + ": " + java.util.Arrays.toString(fitted));
        }
        int units = e.unitsBelow(UniversalApproximation.EPSILON);
        assertTrue(units > 0 && units <= 32, t + ": below epsilon from " + units + " units: " + java.util.Arrays.toString(fitted));
        assertTrue(fitted[fitted.length - 1] < UniversalApproximation.EPSILON / 3, t + ": " + java.util.Arrays.toString(fitted));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void sumsOfBarsConvergeToo(Target t) {
        double[] bars = errors(t).bars();
        for (int i = 1; i < bars.length; i++) {
            // halving the bar width about halves the error, as the trapezoid-like argument predicts
            assertTrue(bars[i] < 0.6 * bars[i - 1], t + ": " + java.util.Arrays.toString(bars));
        }
        assertTrue(bars[bars.length - 1] < 0.02, t + ": " + java.util.Arrays.toString(bars));
    }

    @Test
    void twoSteepSigmoidsMakeABar() {
        double k = 100;
        Sequential bar = UniversalApproximation.network(new double[] {k, k}, new double[] {0, -k}, new double[] {1, -1}, 0);
        float[] y = UniversalApproximation.evaluate(bar, new double[] {-0.5, 0.1, 0.5, 0.9, 1.5});
        assertEquals(0, y[0], 1e-6);
        assertEquals(1, y[1], 1e-4);
        assertEquals(1, y[2], 1e-6);
        assertEquals(1, y[3], 1e-4);
        assertEquals(0, y[4], 1e-6);
    }

    @Test
    void theFitIsAOneHiddenLayerSigmoidNetwork() {
        Sequential net = UniversalApproximation.fit(Target.SIN, 16);
        assertEquals(java.util.List.of("hidden", "sigmoid", "out"), net.names());
        assertEquals(16 + 16 + 16 + 1, net.parameterCount());
    }

    @Test
    void theDemoPlotsTheFitsAndTheErrors(@TempDir Path dir) throws Exception {
        CommandRun.Result r = CommandRun.demo("universal-approximation", "--out", dir.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("below epsilon from"), r::toString);
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("universal-approximation.png").toFile());
        assertEquals(2 * UniversalApproximation.CHART_WIDTH, png.getWidth());
        assertEquals(2 * UniversalApproximation.CHART_HEIGHT, png.getHeight());
        assertTrue(Files.size(dir.resolve("universal-approximation.png")) > 10_000);
    }
}
