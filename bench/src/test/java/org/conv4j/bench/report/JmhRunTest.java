package org.conv4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhRunTest {

    @Test
    void medianIsOverAllForksAndIterations() {
        assertEquals(3.0, new JmhRun.Metric(9, "ms/op", List.of(List.of(5.0, 1.0), List.of(3.0))).median());
        assertEquals(2.5, new JmhRun.Metric(9, "ms/op", List.of(List.of(4.0, 1.0), List.of(3.0, 2.0))).median());
        assertEquals(9.0, new JmhRun.Metric(9, "ms/op", null).median(), "no raw data: the score");
        assertEquals(5.0, new JmhRun.Metric(9, "ms/op", List.of(List.of(5.0, 1.0), List.of(3.0))).max());
    }

    @Test
    void timeUnitsConvertToSeconds() {
        assertEquals(2e-3, new JmhRun.Metric(2, "ms/op", List.of()).medianSeconds(), 1e-15);
        assertEquals(2e-6, new JmhRun.Metric(2, "us/op", List.of()).medianSeconds(), 1e-18);
        assertEquals(2e-9, new JmhRun.Metric(2, "ns/op", List.of()).medianSeconds(), 1e-21);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JmhRun.Metric(2, "ops/s", List.of()).medianSeconds());
        assertTrue(e.getMessage().startsWith("scoreUnit: expected a time per operation"), e.getMessage());
    }

    @Test
    void formatsKeepSignificantDigits() {
        assertEquals("0.250", MarkdownReport.millis(0.25e-3));
        assertEquals("123", MarkdownReport.millis(0.1234));
        assertEquals("0 B", MarkdownReport.bytes(0));
        assertEquals("1023 B", MarkdownReport.bytes(1023));
        assertEquals("1.0 KiB", MarkdownReport.bytes(1024));
        assertEquals("—", MarkdownReport.bytes(Double.NaN));
        assertEquals("0.50×", MarkdownReport.ratio(0.5));
    }
}
