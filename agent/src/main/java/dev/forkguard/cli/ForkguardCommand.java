package dev.forkguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar forkguard-agent.jar}: the command line; exit codes in {@link ExitCodes}. */
@Command(name = "forkguard", mixinStandardHelpOptions = true,
        description = "Finds the deadlocks fork() plants in a multi-threaded JVM.",
        subcommands = {ListCommand.class, AttachCommand.class, StatusCommand.class, ReportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure", "2:bad usage or option", "3:unreadable input",
            "4:no such process", "5:not a JVM", "6:a JVM of another user", "7:the JVM refuses agents loaded at run time",
            "8:forkguard not active in the JVM (status without --attach)"})
public final class ForkguardCommand implements Runnable {

    /** The agent jar this CLI runs from, loaded into targets by attach and status. */
    static String agentJar;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Called reflectively by {@code ForkguardMain}; returns the exit code. */
    public static int run(String[] args, String version, String jar) {
        agentJar = jar;
        CommandLine cli = new CommandLine(new ForkguardCommand());
        cli.getCommandSpec().version("forkguard " + version);
        return cli.execute(args);
    }
}
