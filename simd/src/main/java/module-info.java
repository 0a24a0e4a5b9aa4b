/** The {@code simd} engine: convolution with the JDK Vector API ({@code jdk.incubator.vector}). */
module org.conv4j.simd {
    requires org.conv4j.core;
    requires static jdk.incubator.vector;

}
