/**
 * conv4j bench: JMH benchmarks of every engine against the measured FP32 peak and PyTorch, and the
 * table and a bar chart. Engines are found at run time through the {@link org.conv4j.core.ConvEngine} SPI.
 */
module org.conv4j.bench {
    requires org.conv4j.core;
    requires org.conv4j.nn;
    requires jdk.incubator.vector;
    requires jmh.core;
    requires com.google.gson;
    requires org.knowm.xchart;
    requires java.desktop;

    exports org.conv4j.bench;
    exports org.conv4j.bench.report;

    opens org.conv4j.bench.report to com.google.gson;

}
