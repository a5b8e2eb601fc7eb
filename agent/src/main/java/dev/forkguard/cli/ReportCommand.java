package dev.forkguard.cli;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.ThreadBlockRenderer;
import dev.forkguard.agent.report.html.HtmlView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report FILE}: renders a saved JSON fork report for a person (text, or a self-contained HTML
 * page), or re-emits it as JSON; to standard output or, with {@code -o}, to a file.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Render a saved JSON fork report.")
final class ReportCommand implements Callable<Integer> {

    enum Format { text, json, html }

    @Parameters(paramLabel = "FILE", description = "A forkguard-<pid>-<n>.json report.")
    Path file;

    @Option(names = "--format", defaultValue = "text",
            description = "text, json or html: one self-contained page with a timeline and a graph of threads and "
                    + "locks (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT instead of standard output; a new file is created rw-------.")
    Path output;

    @Override
    public Integer call() {
        ForkReport report;
        try {
            report = JsonReporter.read(file);
        } catch (IOException e) {
            System.err.println("forkguard: cannot read report " + file + ": " + e.getMessage());
            return ExitCodes.UNREADABLE_INPUT;
        }
        String rendered;
        try {
            switch (format) {
                case json:
                    rendered = JsonReporter.mapper().writeValueAsString(report) + "\n";
                    break;
                case html:
                    rendered = HtmlView.render(report);
                    break;
                default:
                    rendered = ThreadBlockRenderer.render(report) + "\n";
                    break;
            }
        } catch (IOException e) {
            System.err.println("forkguard: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (output == null) {
            System.out.print(rendered);
            System.out.flush();
            return ExitCodes.OK;
        }
        try {
            // A new file is created owner-only, like the JSON report it comes from: it holds the same stacks.
            if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(output, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("forkguard: cannot write " + output + ": " + e);
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
