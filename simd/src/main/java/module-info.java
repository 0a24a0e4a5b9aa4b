/**
 * The {@code simd} engine: convolution with the JDK Vector API ({@code jdk.incubator.vector}).
 * The Vector API is optional at run time: without {@code --add-modules jdk.incubator.vector} the
 * engine reports itself unavailable and no class touching the API is loaded.
 */
module org.conv4j.simd {
    requires org.conv4j.core;
    requires static jdk.incubator.vector;

    exports org.conv4j.simd;

    provides org.conv4j.core.ConvEngine with org.conv4j.simd.SimdConvEngine;
}
