/** conv4j bench: JMH benchmarks of every engine. */
module org.conv4j.bench {
    requires org.conv4j.core;
}
