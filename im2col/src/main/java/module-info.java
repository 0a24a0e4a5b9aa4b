/** The {@code im2col} engine: convolution lowered to a cache-blocked plain-Java GEMM. */
module org.conv4j.im2col {
    requires org.conv4j.core;

    exports org.conv4j.im2col;

    provides org.conv4j.core.ConvEngine with org.conv4j.im2col.Im2colEngine;
}
