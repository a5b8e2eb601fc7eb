package dev.forkguard.probe.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one task (thread) of a process is blocked, from {@code /proc/<pid>/task/<tid>/syscall}: the
 * system call number and its six arguments, {@code -1} when blocked outside a system call, or
 * {@code running}. The watchdog calls a child hung only when every task waits where nothing in the
 * child can wake it (DESIGN, "watchdog"), and this is the kernel's own account of each wait.
 * Reading the file needs ptrace read access, which a parent has to its own children.
 */
public final class TaskSyscall {

    /** No system call: the task is running, or blocked outside a system call. */
    public static final int NONE = -1;

    private final int tid;
    private final int number;
    private final long[] args;
    private final long stackPointer;

    private TaskSyscall(int tid, int number, long[] args, long stackPointer) {
        this.tid = tid;
        this.number = number;
        this.args = args;
        this.stackPointer = stackPointer;
    }

    /**
     * Parses one line of the syscall file: {@code "202 0x7f.. 0x189 0x0 0x0 0x0 0xffffffff 0x7ffc.. 0x7f.."}
     * (number, six arguments, stack pointer, program counter), {@code "-1 sp pc"} or {@code "running"}.
     *
     * @throws IllegalArgumentException when the line has none of these forms
     */
    public static TaskSyscall parse(int tid, String line) {
        String text = line.trim();
        if (text.equals("running")) {
            return new TaskSyscall(tid, NONE, new long[0], 0);
        }
        String[] tokens = text.split(" ");
        int number;
        try {
            number = Integer.parseInt(tokens[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a /proc syscall line: " + line);
        }
        if (number < 0) {
            return new TaskSyscall(tid, NONE, new long[0], 0);
        }
        if (tokens.length < 7) {
            throw new IllegalArgumentException("truncated /proc syscall line: " + line);
        }
        long[] args = new long[6];
        for (int i = 0; i < 6; i++) {
            String t = tokens[i + 1];
            if (!t.startsWith("0x")) {
                throw new IllegalArgumentException("argument " + (i + 1) + " is not hexadecimal: " + line);
            }
            args[i] = Long.parseUnsignedLong(t.substring(2), 16);
        }
        long sp = tokens.length > 7 && tokens[7].startsWith("0x") ? Long.parseUnsignedLong(tokens[7].substring(2), 16) : 0;
        return new TaskSyscall(tid, number, args, sp);
    }

    /**
     * Every task of process {@code pid} with its system call; empty when the process is gone or is a
     * zombie (its tasks then have no syscall file worth reading). A task that cannot be read (it
     * exited meanwhile, or access is denied) is left out.
     */
    public static List<TaskSyscall> ofProcess(int pid) {
        List<TaskSyscall> out = new ArrayList<>();
        Path tasks = Paths.get("/proc", Integer.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            byte[] scratch = new byte[256];
            for (Path task : dir) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                String line;
                try {
                    line = ProcFiles.read(task.resolve("syscall"), scratch);
                } catch (IOException e) {
                    continue;
                }
                if (line != null && !line.isBlank()) {
                    out.add(parse(tid, line));
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** Task {@code tid} of process {@code pid} with its system call; null when it cannot be read. */
    public static TaskSyscall ofTask(int pid, int tid) {
        try {
            String line = ProcFiles.read(Paths.get("/proc", Integer.toString(pid), "task", Integer.toString(tid),
                    "syscall"), new byte[256]);
            return line == null || line.isBlank() ? null : parse(tid, line);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What file descriptor {@code fd} of process {@code pid} is: a path, {@code pipe:[inode]},
     * {@code socket:[inode]}, {@code anon_inode:[eventpoll]}; null when unreadable.
     */
    public static String descriptor(int pid, long fd) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc", Integer.toString(pid), "fd", Long.toString(fd)))
                    .toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public int tid() {
        return tid;
    }

    /** The system call number, or {@link #NONE}. */
    public int number() {
        return number;
    }

    /** Argument {@code i} (0 to 5) of the system call; 0 when there is none. */
    public long arg(int i) {
        return i < args.length ? args[i] : 0;
    }

    /** The task's user stack pointer while in the system call; 0 when not in one or not printed. */
    public long stackPointer() {
        return stackPointer;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("TaskSyscall[tid=").append(tid).append(", number=").append(number);
        for (long a : args) {
            b.append(" 0x").append(Long.toHexString(a));
        }
        return b.append(']').toString();
    }
}
