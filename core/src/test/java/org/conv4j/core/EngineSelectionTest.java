package org.conv4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.conv4j.plugin.ThirdPartyEngine;
import java.util.List;
import org.conv4j.core.testing.KnownAnswers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Engine discovery and selection through the SPI, with two plugins that live outside conv4j's
 * packages (com.example.conv4j.plugin, registered in this test class path's META-INF/services).
 */
class EngineSelectionTest {
    @BeforeEach
    void enableThePlugin() {
        System.setProperty(ThirdPartyEngine.ENABLE_PROPERTY, "true");
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(ConvEngines.ENGINE_PROPERTY);
        System.clearProperty(ConvEngines.THREADS_PROPERTY);
        System.clearProperty(ThirdPartyEngine.ENABLE_PROPERTY);
    }

    @Test
    void aPluginThatIsNotAvailableIsNeverSelected() {
        System.clearProperty(ThirdPartyEngine.ENABLE_PROPERTY);
        assertFalse(ConvEngines.names().contains("thirdparty"));
        assertEquals("naive", ConvEngines.select(null, null).name());
    }

    @Test
    void findsTheReferenceAndThePlugin() {
        List<String> names = ConvEngines.names();
        assertTrue(names.contains("naive"), names::toString);
        assertTrue(names.contains("thirdparty"), names::toString);
        assertFalse(names.contains("ghost"), "an unavailable engine is not listed as available");
        assertTrue(ConvEngines.all().stream().anyMatch(e -> e.name().equals("ghost")), "all() lists it");
    }

    @Test
    void selectsByName() {
        assertEquals("thirdparty", ConvEngines.named("thirdparty").name());
        assertEquals("naive", ConvEngines.named(" NAIVE ").name());
        KnownAnswers.assertKnownAnswers(ConvEngines.named("thirdparty"));
    }

    @Test
    void unknownOrUnavailableNamesListTheAvailableEngines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvEngines.named("turbo"));
        assertTrue(e.getMessage().contains("turbo") && e.getMessage().contains("naive")
                && e.getMessage().contains("thirdparty"), e::getMessage);
        e = assertThrows(IllegalArgumentException.class, () -> ConvEngines.named("ghost"));
        assertTrue(e.getMessage().contains("not available"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> ConvEngines.named(null));
    }

    @Test
    void highestPriorityWinsWhenNothingIsNamed() {
        assertEquals("thirdparty", ConvEngines.select(null, null).name());
        assertEquals("thirdparty", ConvEngines.select(" ", "").name(), "blank means unset");
    }

    @Test
    void propertyBeatsEnvironmentBeatsPriority() {
        assertEquals("naive", ConvEngines.select("naive", "thirdparty").name());
        assertEquals("naive", ConvEngines.select(null, "naive").name());
        System.setProperty(ConvEngines.ENGINE_PROPERTY, "naive");
        assertEquals("naive", ConvEngines.preferred().name());
        System.setProperty(ConvEngines.ENGINE_PROPERTY, "nope");
        assertThrows(IllegalArgumentException.class, ConvEngines::preferred);
    }

    @Test
    void threadsComeFromTheProperty() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ConvEngines.threads());
        System.setProperty(ConvEngines.THREADS_PROPERTY, "3");
        assertEquals(3, ConvEngines.threads());
        System.setProperty(ConvEngines.THREADS_PROPERTY, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ConvEngines::threads);
        assertTrue(e.getMessage().contains("conv4j.threads") && e.getMessage().contains("'0'"), e::getMessage);
    }
}
