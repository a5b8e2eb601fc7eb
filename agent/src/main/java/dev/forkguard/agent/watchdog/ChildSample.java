package dev.forkguard.agent.watchdog;

import dev.forkguard.probe.proc.ProcessStat;
import dev.forkguard.probe.proc.TaskSyscall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One look at a child through {@code /proc}: who it is (parent, start time), whether it ran exec,
 * whether it ended, the CPU it used, and what each of its tasks waits on.
 *
 * <p>Exec is read from the kernel's PF_FORKNOEXEC flag ({@link ProcessStat#forkedWithoutExec()}),
 * which exec clears and a zombie keeps: names ({@code comm}, {@code cmdline}) are not used, because a
 * child is named after the thread that forked it and may rename itself without exec.
 */
final class ChildSample {

    /** A child that has ended and been reaped: its pid is free, or another process's. */
    static final ChildSample GONE = new ChildSample(true, null, List.of());

    final boolean gone;
    final boolean zombie;
    final boolean execed;
    final int ppid;
    final long startTime;
    final long cpuTicks;
    final char state;
    /** Raw wait status of a zombie; meaningless otherwise. */
    final int exitStatus;
    /** Each task's wait; empty for a zombie or a child that is gone. */
    final List<TaskWait> waits;
    private final boolean stuck;

    private ChildSample(boolean gone, ProcessStat s, List<TaskWait> waits) {
        this.gone = gone;
        this.zombie = s != null && (s.state() == 'Z' || s.state() == 'X');
        this.execed = s != null && !s.forkedWithoutExec();
        this.ppid = s == null ? 0 : s.ppid();
        this.startTime = s == null ? 0 : s.startTime();
        this.cpuTicks = s == null ? 0 : s.cpuTicks();
        this.state = s == null ? '?' : s.state();
        this.exitStatus = s == null ? 0 : s.exitCode();
        this.waits = waits;
        this.stuck = !waits.isEmpty() && allStuck(waits);
    }

    static ChildSample take(int pid) {
        return take(pid, true);
    }

    /** @param waits false to leave out what the tasks wait on (at JVM exit only the child's fate matters) */
    static ChildSample take(int pid, boolean waits) {
        Optional<ProcessStat> stat = ProcessStat.read(pid);
        if (stat.isEmpty()) {
            return GONE;
        }
        ProcessStat s = stat.get();
        if (!waits || s.state() == 'Z' || s.state() == 'X' || !s.forkedWithoutExec()) {
            return new ChildSample(false, s, List.of());
        }
        return new ChildSample(false, s, waitsOf(pid));
    }

    private static List<TaskWait> waitsOf(int pid) {
        List<TaskWait> waits = new ArrayList<>();
        boolean couldBeStuck = true;
        for (TaskSyscall call : TaskSyscall.ofProcess(pid)) {
            TaskWait w = TaskWait.of(pid, call, SyscallTable.CURRENT);
            couldBeStuck &= w.stuck() || w.timedPrivate();
            waits.add(w);
        }
        // Only when nothing else could free the child: a timed private wait that is a monitor enter's
        // re-check is then as final as an untimed one (the stack is read only in that case).
        if (couldBeStuck) {
            for (int i = 0; i < waits.size(); i++) {
                TaskWait w = waits.get(i);
                if (w.timedPrivate() && MonitorEnterWait.matches(pid, w.stackPointer())) {
                    waits.set(i, w.asMonitorEnter());
                }
            }
        }
        return waits;
    }

    /** True when this is the process forked at {@code startTime} by {@code parentPid}, not a later one with its pid. */
    boolean is(int parentPid, long expectedStartTime) {
        return !gone && ppid == parentPid && startTime == expectedStartTime;
    }

    /**
     * True when every task of the child waits on a process-private futex with no time-out, or is a JVM
     * thread re-checking a monitor it waits to enter: nothing outside the child can wake it, and no
     * task inside is free to.
     */
    boolean stuck() {
        return stuck;
    }

    private static boolean allStuck(List<TaskWait> waits) {
        for (TaskWait w : waits) {
            if (!w.stuck()) {
                return false;
            }
        }
        return true;
    }

    /** The tasks and futex addresses of a stuck child: a hang holds the same ones sample after sample. */
    String stuckSignature() {
        StringBuilder b = new StringBuilder();
        for (TaskWait w : waits) {
            b.append(w.tid()).append('@').append(Long.toHexString(w.address())).append(' ');
        }
        return b.toString();
    }

    /** What the child's tasks wait on, each kind once: "a read on pipe:[4242]; a sleep". */
    String waitsOn() {
        Set<String> kinds = new LinkedHashSet<>();
        for (TaskWait w : waits) {
            kinds.add(w.description());
        }
        return kinds.isEmpty() ? "nothing readable" : String.join("; ", kinds);
    }
}
