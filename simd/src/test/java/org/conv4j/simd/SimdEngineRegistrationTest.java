package org.conv4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.conv4j.core.Conv2dSpec;
import org.conv4j.core.ConvEngine;
import org.conv4j.core.ConvEngines;
import org.conv4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Discovery through the SPI, availability, priority, and argument checking. */
class SimdEngineRegistrationTest {

    @Test
    void isFoundByNameAndPreferredOverNaive() {
        ConvEngine e = ConvEngines.named("simd");
        assertTrue(e instanceof SimdConvEngine);
        assertTrue(e.isAvailable(), "the tests run with --add-modules jdk.incubator.vector");
        assertEquals(100, e.priority());
        assertEquals("simd", ConvEngines.available().get(0).name());
    }

    @Test
    void availabilityFollowsTheBootLayer() {
        assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                new SimdConvEngine().isAvailable());
    }

    /** Without {@code --add-modules jdk.incubator.vector} the engine is unavailable, does not throw, and naive is preferred. */
    @Test
    void unavailableWithoutTheVectorModule() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AvailabilityProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals("available=false preferred=naive", out);
    }

    @Test
    void rejectsBadShapesBeforeComputing() {
        ConvEngine e = new SimdConvEngine();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
                e.forward(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(4, 2, 3, 3), null, Conv2dSpec.DEFAULT,
                        Tensor.zeros(1, 4, 6, 6)));
        assertTrue(ex.getMessage().startsWith("weight:"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () ->
                e.backwardWeight(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(1, 4, 5, 6), Conv2dSpec.DEFAULT,
                        Tensor.zeros(4, 3, 3, 3), null));
        assertTrue(ex.getMessage().startsWith("gradOutput:"), ex.getMessage());
    }
}
