package dev.forkguard.probe.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lists the kernel threads of a process from {@code /proc/<pid>/task}, because at fork time the
 * threads that will not exist in the child include many the JVM never reports.
 *
 * <p>Each thread costs one small file read: name and state both come from
 * {@code task/<tid>/stat}, whose second field the kernel prints from the same buffer, in the same
 * way, as {@code task/<tid>/comm}. That halves the work against reading {@code comm} too, and
 * this runs inside the fork pause.
 */
public final class ProcTasks {

    private ProcTasks() {
    }

    /** The threads of this process, in the kernel's order (creation order in practice). */
    public static List<ProcTask> list() {
        return listTaskDir(Paths.get("/proc/self/task"));
    }

    /**
     * The threads of process {@code pid}; empty when the process does not exist.
     *
     * @throws UncheckedIOException when the task directory exists but cannot be read
     */
    public static List<ProcTask> list(int pid) {
        return listTaskDir(Paths.get("/proc", Integer.toString(pid), "task"));
    }

    private static List<ProcTask> listTaskDir(Path taskDir) {
        List<ProcTask> tasks = new ArrayList<>();
        byte[] scratch = new byte[512];
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(taskDir)) {
            for (Path entry : entries) {
                int tid = parseTid(entry.getFileName().toString());
                if (tid <= 0) {
                    continue;
                }
                ProcTask task = readTask(entry, tid, scratch);
                if (task != null) {
                    tasks.add(task);
                }
            }
        } catch (NoSuchFileException e) {
            return Collections.emptyList();
        } catch (DirectoryIteratorException e) {
            // The process exited while being listed.
            if (e.getCause() instanceof NoSuchFileException) {
                return tasks;
            }
            throw new UncheckedIOException(e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tasks;
    }

    private static ProcTask readTask(Path taskEntry, int tid, byte[] scratch) {
        String stat;
        try {
            stat = ProcFiles.read(taskEntry.resolve("stat"), scratch);
        } catch (IOException e) {
            // The thread exited between the directory read and the file read: not an error.
            return null;
        }
        if (stat == null) {
            return null;
        }
        int open = stat.indexOf('(');
        // The name may itself contain ')' or spaces; only the last ')' closes it.
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.length()) {
            return null;
        }
        return new ProcTask(tid, stat.substring(open + 1, close), stat.charAt(close + 2));
    }

    /**
     * The thread ids of this process, and nothing else: one directory read, cheap enough for the
     * fork window, where reading each thread's name is not (docs/DESIGN.md, The fork window).
     */
    public static int[] tids() {
        int[] out = new int[64];
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            for (Path entry : entries) {
                int tid = parseTid(entry.getFileName().toString());
                if (tid > 0) {
                    if (n == out.length) {
                        out = java.util.Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = tid;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Listing /proc/self/task cannot fail while this process runs; keep what was read.
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Names and states of these threads of this process; those that have exited are left out. */
    public static List<ProcTask> read(int[] tids) {
        List<ProcTask> out = new ArrayList<>(tids.length);
        byte[] scratch = new byte[512];
        for (int tid : tids) {
            ProcTask t = readTask(Paths.get("/proc/self/task", Integer.toString(tid)), tid, scratch);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** The tid a task directory is named after, or -1 for anything that is not a plain number. */
    static int parseTid(String name) {
        int n = name.length();
        if (n == 0 || n > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }
}
