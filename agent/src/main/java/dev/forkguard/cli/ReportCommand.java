package dev.forkguard.cli;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.ThreadBlockRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report FILE}: renders a saved JSON fork report for a person, or re-emits it as JSON. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Render a saved JSON fork report.")
final class ReportCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(paramLabel = "FILE", description = "A forkguard-<pid>-<n>.json report.")
    Path file;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        ForkReport report;
        try {
            report = JsonReporter.read(file);
        } catch (IOException e) {
            System.err.println("forkguard: cannot read report " + file + ": " + e.getMessage());
            return ExitCodes.UNREADABLE_INPUT;
        }
        if (format == Format.json) {
            try {
                System.out.println(JsonReporter.mapper().writeValueAsString(report));
            } catch (IOException e) {
                System.err.println("forkguard: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        } else {
            System.out.println(ThreadBlockRenderer.render(report));
        }
        return ExitCodes.OK;
    }
}
