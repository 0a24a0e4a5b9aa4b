package org.conv4j.bench.report;

/**
 * What the report says about the run beyond the numbers: its title (usually the date), the machine,
 * and the command that reproduces it. Empty strings are left out of the report.
 */
public record ReportInfo(String title, String machine, String command) {

    public ReportInfo {
        title = title == null || title.isBlank() ? "conv4j benchmark report" : title;
        machine = machine == null ? "" : machine;
        command = command == null ? "" : command;
    }
}
