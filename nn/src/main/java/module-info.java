/** conv4j nn: layers, training, data readers, checkpoints and the {@code conv4j} command. */
module org.conv4j.nn {
    requires org.conv4j.core;
    requires jdk.incubator.vector;
    requires info.picocli;
    requires com.google.gson;
    requires me.tongfei.progressbar;
    requires org.knowm.xchart;
    requires java.desktop;

    exports org.conv4j.nn;
    exports org.conv4j.nn.layer;
    exports org.conv4j.nn.loss;
    exports org.conv4j.nn.optim;
    exports org.conv4j.nn.data;
    exports org.conv4j.nn.io;
    exports org.conv4j.nn.train;
    exports org.conv4j.nn.cli;

    opens org.conv4j.nn.cli to info.picocli;
    opens org.conv4j.nn.data; // the embedded digits resource

    uses org.conv4j.core.ConvEngine;
}
