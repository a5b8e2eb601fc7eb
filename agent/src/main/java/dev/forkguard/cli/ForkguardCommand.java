package dev.forkguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar forkguard-agent.jar}: the command line. Exit codes: 0 success, 1 failure,
 * 2 bad usage, 3 unreadable input.
 */
@Command(name = "forkguard", mixinStandardHelpOptions = true,
        description = "Finds the deadlocks fork() plants in a multi-threaded JVM.",
        subcommands = {ReportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure", "2:bad usage", "3:unreadable input"})
public final class ForkguardCommand implements Runnable {

    static final int UNREADABLE_INPUT = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Called reflectively by {@code ForkguardMain}; returns the exit code. */
    public static int run(String[] args, String version) {
        CommandLine cli = new CommandLine(new ForkguardCommand());
        cli.getCommandSpec().version("forkguard " + version);
        return cli.execute(args);
    }
}
