package org.conv4j.nn.demos;

import java.io.IOException;
import java.io.PrintStream;

/** One runnable demonstration of an idea of the lecture: {@code conv4j demo <name>}. */
public interface Demo {

    /** The name on the command line, e.g. {@code template-matching}. */
    String name();

    /** One line saying what the demo shows, for {@code conv4j demo} without a name. */
    String summary();

    /** Runs the demo, printing what it shows to {@code out} and writing any pictures into {@code options.out()}. */
    void run(DemoOptions options, PrintStream out) throws IOException;
}
