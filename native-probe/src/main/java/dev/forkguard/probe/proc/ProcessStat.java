package dev.forkguard.probe.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * One reading of {@code /proc/<pid>/stat} and its neighbours, because the watchdog judges a forked
 * child — exec'd, exited, running or hung — from the outside, without {@code waitpid}
 * (docs/DESIGN.md, Watching a child through /proc).
 */
public final class ProcessStat {

    // Field numbers as in proc(5), counted from 1; field 3 is the first after the comm.
    private static final int FIELD_STATE = 3;
    private static final int FIELD_PPID = 4;
    private static final int FIELD_FLAGS = 9;
    private static final int FIELD_UTIME = 14;
    private static final int FIELD_STIME = 15;
    private static final int FIELD_NUM_THREADS = 20;
    private static final int FIELD_STARTTIME = 22;
    private static final int FIELD_EXIT_CODE = 52;

    private final int pid;
    private final String comm;
    private final char state;
    private final int ppid;
    private final long utime;
    private final long stime;
    private final int threads;
    private final long startTime;
    private final int exitCode;
    private final long flags;

    /**
     * The kernel's PF_FORKNOEXEC task flag: set on every task fork creates, cleared by exec, and
     * still printed once the process is a zombie. Its value has been 0x40 since Linux 2.x.
     */
    static final long PF_FORKNOEXEC = 0x40;

    private ProcessStat(int pid, String comm, char state, int ppid, long utime, long stime,
            int threads, long startTime, int exitCode, long flags) {
        this.pid = pid;
        this.comm = comm;
        this.state = state;
        this.ppid = ppid;
        this.utime = utime;
        this.stime = stime;
        this.threads = threads;
        this.startTime = startTime;
        this.exitCode = exitCode;
        this.flags = flags;
    }

    /**
     * The current state of process {@code pid}; empty when it does not exist (never existed, or
     * exited and was reaped).
     *
     * @throws UncheckedIOException when the process exists but its stat cannot be read
     */
    public static Optional<ProcessStat> read(int pid) {
        Path path = Paths.get("/proc", Integer.toString(pid), "stat");
        String line;
        try {
            line = ProcFiles.read(path, new byte[512]);
        } catch (IOException e) {
            if (!Files.exists(path)) {
                // Reaped between open and read: the kernel answers ESRCH.
                return Optional.empty();
            }
            throw new UncheckedIOException(e);
        }
        return line == null ? Optional.empty() : Optional.of(parse(line));
    }

    /**
     * Parses one stat line. The comm may hold spaces, '(' and ')', so it ends at the last ')'.
     * Fields a kernel does not print (exit code before Linux 3.5) read as 0.
     *
     * @throws IllegalArgumentException when the line is not a stat line
     */
    static ProcessStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + line);
        }
        int pid = Integer.parseInt(line.substring(0, open).trim());
        String comm = line.substring(open + 1, close);

        // fields[i] holds field number i + FIELD_STATE.
        String[] fields = line.substring(close + 1).trim().split(" ");
        if (fields.length <= FIELD_STARTTIME - FIELD_STATE || fields[0].length() != 1) {
            throw new IllegalArgumentException("truncated /proc stat line: " + line);
        }
        return new ProcessStat(
                pid,
                comm,
                fields[0].charAt(0),
                Integer.parseInt(fields[FIELD_PPID - FIELD_STATE]),
                Long.parseLong(fields[FIELD_UTIME - FIELD_STATE]),
                Long.parseLong(fields[FIELD_STIME - FIELD_STATE]),
                Integer.parseInt(fields[FIELD_NUM_THREADS - FIELD_STATE]),
                Long.parseLong(fields[FIELD_STARTTIME - FIELD_STATE]),
                fields.length > FIELD_EXIT_CODE - FIELD_STATE
                        ? Integer.parseInt(fields[FIELD_EXIT_CODE - FIELD_STATE])
                        : 0,
                Long.parseUnsignedLong(fields[FIELD_FLAGS - FIELD_STATE]));
    }

    /**
     * The target of {@code /proc/<pid>/exe}, which changes when the process execs; empty when the
     * process is gone, is a zombie, or belongs to someone else. A deleted binary reads with a
     * {@code " (deleted)"} suffix.
     */
    public static Optional<String> executable(int pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Paths.get("/proc", Integer.toString(pid), "exe")).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The process's arguments from {@code /proc/<pid>/cmdline}, NUL separators turned into spaces; it
     * changes when the process execs. Empty when gone, a zombie (the kernel then prints nothing) or
     * unreadable.
     */
    public static Optional<String> cmdline(int pid) {
        try {
            byte[] raw = Files.readAllBytes(Paths.get("/proc", Integer.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return Optional.empty();
            }
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    raw[i] = ' ';
                }
            }
            return Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The kernel function the process's main thread sleeps in, from {@code /proc/<pid>/wchan}
     * (for example {@code futex_wait_queue}); {@code "0"} when it is running or the kernel hides
     * the address. Empty when unreadable or gone.
     */
    public static Optional<String> wchan(int pid) {
        String content = readQuietly(Paths.get("/proc", Integer.toString(pid), "wchan"));
        return content == null ? Optional.<String>empty() : Optional.of(content.trim());
    }

    /**
     * The first token of {@code /proc/<pid>/syscall} for the process's main thread: the number of
     * the system call it is blocked in ({@code "202"} is futex on x86_64), {@code "-1"} when blocked
     * outside a system call, or {@code "running"}. Empty when unreadable (the file needs ptrace
     * access: fine for one's own children) or gone.
     */
    public static Optional<String> syscall(int pid) {
        String content = readQuietly(Paths.get("/proc", Integer.toString(pid), "syscall"));
        if (content == null) {
            return Optional.empty();
        }
        String trimmed = content.trim();
        int space = trimmed.indexOf(' ');
        String first = space < 0 ? trimmed : trimmed.substring(0, space);
        return first.isEmpty() ? Optional.<String>empty() : Optional.of(first);
    }

    /**
     * Clock ticks since boot now, from {@code /proc/uptime}, on the clock {@link #startTime()} uses;
     * -1 when unreadable. Ticks are USER_HZ, 100 a second on every architecture Linux runs the JDK on.
     */
    public static long bootTicksNow() {
        String content = readQuietly(Paths.get("/proc/uptime"));
        if (content == null) {
            return -1;
        }
        int space = content.indexOf(' ');
        try {
            return Math.round(Double.parseDouble(space < 0 ? content.trim() : content.substring(0, space)) * 100);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readQuietly(Path path) {
        try {
            return ProcFiles.read(path, new byte[128]);
        } catch (IOException e) {
            return null;
        }
    }

    public int pid() {
        return pid;
    }

    /** The process name, at most 15 bytes; after an exec, the new program's name. */
    public String comm() {
        return comm;
    }

    /** The state letter: R running, S sleeping, D disk sleep, T stopped, Z zombie, ... */
    public char state() {
        return state;
    }

    public int ppid() {
        return ppid;
    }

    /** User-mode CPU time in clock ticks (usually 1/100 s). */
    public long utime() {
        return utime;
    }

    /** Kernel-mode CPU time in clock ticks. */
    public long stime() {
        return stime;
    }

    /** All CPU time in clock ticks; a hung child's stops moving. */
    public long cpuTicks() {
        return utime + stime;
    }

    /** The number of threads; a freshly forked child has exactly one. */
    public int threads() {
        return threads;
    }

    /**
     * When the process started, in clock ticks after boot: with the pid, it tells a child from a
     * later process that reused the pid.
     */
    public long startTime() {
        return startTime;
    }

    /** The task flags of the process's main thread (field 9, the kernel's PF_* bits). */
    public long flags() {
        return flags;
    }

    /**
     * True when the process was forked and has not run exec since: the kernel clears PF_FORKNOEXEC
     * at exec and keeps it while the process is a zombie, so this holds for a child that renamed
     * itself (prctl, setproctitle), forked from any thread, and one that has already exited.
     */
    public boolean forkedWithoutExec() {
        return (flags & PF_FORKNOEXEC) != 0;
    }

    /**
     * The raw wait status (decode with {@code Libc.exited}/{@code exitCode}/{@code termSignal});
     * meaningful only when {@link #state()} is 'Z', 0 otherwise or when the kernel omits it.
     */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public String toString() {
        return "ProcessStat[pid=" + pid + ", comm=" + comm + ", state=" + state + ", ppid=" + ppid
                + ", utime=" + utime + ", stime=" + stime + ", threads=" + threads
                + ", startTime=" + startTime + ", exitCode=" + exitCode + ", flags=0x" + Long.toHexString(flags) + "]";
    }
}
