package org.conv4j.bench.report;

/**
 * What the report says about the run beyond the numbers: its title (usually the date), the machine,
 * the command that reproduces it, and the load average around the run (how shared the machine was). Empty strings are left out of the report.
 */
public record ReportInfo(String title, String machine, String command, String load) {

    public ReportInfo {
        title = title == null || title.isBlank() ? "conv4j benchmark report" : title;
        machine = machine == null ? "" : machine;
        command = command == null ? "" : command;
        load = load == null ? "" : load;
    }
}
