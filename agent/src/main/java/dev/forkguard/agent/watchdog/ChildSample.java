package dev.forkguard.agent.watchdog;

import dev.forkguard.probe.proc.ProcessStat;
import java.util.Optional;

/** One look at a child through {@code /proc}: alive or not, exec'd or not, CPU used, where it sleeps. */
final class ChildSample {

    final boolean gone;
    final boolean zombie;
    final boolean execed;
    final long cpuTicks;
    final char state;
    /** Raw wait status of a zombie; meaningless otherwise. */
    final int exitStatus;
    final String wchan;
    final String syscall;

    private ChildSample(boolean gone, boolean zombie, boolean execed, long cpuTicks, char state, int exitStatus,
            String wchan, String syscall) {
        this.gone = gone;
        this.zombie = zombie;
        this.execed = execed;
        this.cpuTicks = cpuTicks;
        this.state = state;
        this.exitStatus = exitStatus;
        this.wchan = wchan;
        this.syscall = syscall;
    }

    /**
     * @param parent the parent's own executable, arguments and name, to tell an exec'd child apart:
     *     exec changes {@code exe} and {@code cmdline}, and a zombie keeps the name of what it ran last
     */
    static ChildSample take(int pid, ParentImage parent) {
        Optional<ProcessStat> stat = ProcessStat.read(pid);
        if (stat.isEmpty()) {
            return new ChildSample(true, false, false, 0, '?', 0, "", "");
        }
        ProcessStat s = stat.get();
        if (s.state() == 'Z' || s.state() == 'X') {
            return new ChildSample(false, true, !s.comm().equals(parent.comm), s.cpuTicks(), s.state(), s.exitCode(), "",
                    "");
        }
        String exe = ProcessStat.executable(pid).orElse(parent.exe);
        String cmdline = ProcessStat.cmdline(pid).orElse(parent.cmdline);
        boolean execed = !exe.equals(parent.exe) || !cmdline.equals(parent.cmdline);
        return new ChildSample(false, false, execed, s.cpuTicks(), s.state(), 0, ProcessStat.wchan(pid).orElse(""),
                ProcessStat.syscall(pid).orElse(""));
    }

    /** Sleeping in a futex: the kernel's wchan names it, or the blocked system call is futex. */
    boolean inFutex() {
        return state == 'S' && (wchan.contains("futex") || syscall.equals(ParentImage.FUTEX_SYSCALL));
    }

    /** What the parent knows of itself, read once. */
    static final class ParentImage {
        /** futex's number on x86_64 and on the generic table (aarch64, riscv64). */
        static final String FUTEX_SYSCALL = "amd64".equals(System.getProperty("os.arch"))
                || "x86_64".equals(System.getProperty("os.arch")) ? "202" : "98";

        final String exe;
        final String cmdline;
        final String comm;

        ParentImage(String exe, String cmdline, String comm) {
            this.exe = exe;
            this.cmdline = cmdline;
            this.comm = comm;
        }

        static ParentImage of(int pid) {
            return new ParentImage(ProcessStat.executable(pid).orElse(""), ProcessStat.cmdline(pid).orElse(""),
                    ProcessStat.read(pid).map(ProcessStat::comm).orElse(""));
        }
    }
}
