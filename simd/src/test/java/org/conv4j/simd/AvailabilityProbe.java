package org.conv4j.simd;

import org.conv4j.core.ConvEngines;

/** Run in a JVM without the Vector API module: prints what the engine and the registry say. */
final class AvailabilityProbe {
    private AvailabilityProbe() {
    }

    public static void main(String[] args) {
        System.out.println("available=" + new SimdConvEngine().isAvailable() + " preferred=" + ConvEngines.preferred().name());
    }
}
