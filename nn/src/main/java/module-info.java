/** conv4j nn: layers, training, data readers, checkpoints and the {@code conv4j} command. */
module org.conv4j.nn {
    requires org.conv4j.core;
    requires info.picocli;

    exports org.conv4j.nn.cli;

    opens org.conv4j.nn.cli to info.picocli;

    uses org.conv4j.core.ConvEngine;
}
