/**
 * conv4j core: {@link org.conv4j.core.Tensor}, {@link org.conv4j.core.Conv2dSpec},
 * {@link org.conv4j.core.Pool2dSpec}, {@link org.conv4j.core.Pooling}, the
 * {@link org.conv4j.core.ConvEngine} SPI with its registry {@link org.conv4j.core.ConvEngines},
 * and the {@code naive} reference engine.
 */
module org.conv4j.core {
    exports org.conv4j.core;
    exports org.conv4j.core.examples;

    uses org.conv4j.core.ConvEngine;

    provides org.conv4j.core.ConvEngine with org.conv4j.core.NaiveConvEngine;
}
