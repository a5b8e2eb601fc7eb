package dev.forkguard.cli;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.ThreadBlockRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code status <pid>}: what a fork would do to a running JVM now. It asks the forkguard agent in that
 * JVM (its registries hold the creation sites), so forkguard must be active there; with
 * {@code --attach} the CLI loads it first, and says so.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what a fork would do to a running JVM now: threads that would vanish, locks they hold.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PID", description = "Process id of the JVM.")
    int pid;

    @Option(names = "--attach", description = "Load forkguard into the JVM first if it is not active there.")
    boolean attach;

    @Override
    public Integer call() {
        TargetJvm target = new TargetJvm(pid);
        Integer refusal = target.refusal();
        if (refusal != null) {
            return refusal;
        }
        AgentAttacher attacher = new AgentAttacher(ForkguardCommand.agentJar);
        if (!target.forkguardLoaded()) {
            if (!attach) {
                System.err.println("forkguard: not active in pid " + pid + "; status asks the agent (its registries "
                        + "know where threads and locks were created). Run with --attach to load it first.");
                return ExitCodes.NOT_ACTIVE;
            }
            System.err.println("forkguard: loading the forkguard agent into pid " + pid + " (--attach)");
            int code = attacher.load(pid, "");
            if (code != ExitCodes.OK) {
                return code;
            }
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("forkguard-status-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path answer = dir.resolve("status.json");
            int code = attacher.load(pid, "statusTo=" + answer);
            if (code != ExitCodes.OK) {
                return code;
            }
            if (!Files.exists(answer)) {
                System.err.println("forkguard: pid " + pid + " did not answer (see its log)");
                return ExitCodes.FAILURE;
            }
            ForkReport report = JsonReporter.read(answer);
            System.out.println(ThreadBlockRenderer.render(report));
            return ExitCodes.OK;
        } catch (IOException e) {
            System.err.println("forkguard: status of pid " + pid + " failed: " + e.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("status.json"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // A leftover empty private directory in /tmp.
                }
            }
        }
    }
}
