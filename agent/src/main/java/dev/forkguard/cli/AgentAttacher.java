package dev.forkguard.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;

/** Loads the agent into a running JVM, always detaching; turns each failure into one line and an exit code. */
final class AgentAttacher {

    private final String agentJar;

    AgentAttacher(String agentJar) {
        this.agentJar = agentJar;
    }

    /** Returns the exit code; on success, the target's Java feature version is in {@link #targetFeature}. */
    int load(int pid, String options) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Integer.toString(pid));
        } catch (AttachNotSupportedException e) {
            System.err.println("forkguard: cannot attach to pid " + pid + ": " + e.getMessage());
            return ExitCodes.NOT_A_JVM;
        } catch (IOException e) {
            System.err.println("forkguard: cannot attach to pid " + pid + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        try {
            targetFeature = feature(vm.getSystemProperties().getProperty("java.specification.version", "0"));
            vm.loadAgent(agentJar, options);
            return ExitCodes.OK;
        } catch (AgentLoadException | IOException e) {
            if (String.valueOf(e.getMessage()).contains("EnableDynamicAgentLoading")
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("not allowed")
                    || (targetFeature >= 21 && e instanceof AgentLoadException)) {
                System.err.println("forkguard: pid " + pid + " refuses agents loaded at run time (started with "
                        + "-XX:-EnableDynamicAgentLoading); start it with -javaagent:" + agentJar + " instead");
                return ExitCodes.DYNAMIC_AGENTS_REFUSED;
            }
            System.err.println("forkguard: loading the agent into pid " + pid + " failed: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (AgentInitializationException e) {
            System.err.println("forkguard: the agent failed to start in pid " + pid + " (code " + e.returnValue() + ")");
            return ExitCodes.FAILURE;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // The target may already be gone.
            }
        }
    }

    int targetFeature;

    private static int feature(String specVersion) {
        try {
            return Integer.parseInt(specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
