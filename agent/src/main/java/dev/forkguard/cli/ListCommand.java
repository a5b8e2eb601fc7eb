package dev.forkguard.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code list}: the attachable JVMs of this user, and whether forkguard is already in each. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List attachable JVMs.")
final class ListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        long self = ProcessHandle.current().pid();
        System.out.println(String.format("%-8s %-10s %s", "PID", "FORKGUARD", "MAIN CLASS OR JAR"));
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            int pid;
            try {
                pid = Integer.parseInt(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            TargetJvm target = new TargetJvm(pid);
            String name = d.displayName().isEmpty() ? "(unknown)" : d.displayName();
            System.out.println(String.format("%-8d %-10s %s", pid, target.forkguardLoaded() ? "active" : "-", name));
        }
        return ExitCodes.OK;
    }
}
