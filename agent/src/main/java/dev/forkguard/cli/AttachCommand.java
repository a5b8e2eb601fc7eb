package dev.forkguard.cli;

import dev.forkguard.agent.options.ForkguardOptions;
import java.util.Collections;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code attach <pid> [key=value,...]}: loads forkguard into a running JVM with those options. */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Load forkguard into a running JVM. Options as for -javaagent, e.g. reportDir=/tmp/fg,childPolicy=throw.")
final class AttachCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "Process id of the JVM.")
    int pid;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OPTIONS", description = "key=value,key=value")
    String options;

    @Override
    public Integer call() {
        // Bad options are refused here, before anything is loaded into someone else's process.
        ForkguardOptions parsed = ForkguardOptions.resolve(options, Collections.emptyMap(),
                Collections.<String, String>emptyMap());
        if (!parsed.problems().isEmpty()) {
            for (String problem : parsed.problems()) {
                System.err.println(problem.replace("using the default", "nothing attached; the default would be"));
            }
            return ExitCodes.USAGE;
        }
        TargetJvm target = new TargetJvm(pid);
        Integer refusal = target.refusal();
        if (refusal != null) {
            return refusal;
        }
        boolean already = target.forkguardLoaded();
        AgentAttacher attacher = new AgentAttacher(ForkguardCommand.agentJar);
        int code = attacher.load(pid, options == null ? "" : options);
        if (code != ExitCodes.OK) {
            return code;
        }
        if (already) {
            System.out.println("forkguard is already active in pid " + pid
                    + ": applied the options that can change while it runs (see its log)");
        } else {
            System.out.println("forkguard attached to pid " + pid + "; its log says what it registered");
        }
        if (attacher.targetFeature >= 21) {
            System.out.println("note: on JDK " + attacher.targetFeature + " the target prints a warning that an "
                    + "agent was loaded dynamically; starting it with -XX:+EnableDynamicAgentLoading silences it");
        }
        return ExitCodes.OK;
    }
}
