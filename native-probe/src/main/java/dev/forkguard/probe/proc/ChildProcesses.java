package dev.forkguard.probe.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Finds the children a thread has forked, from {@code /proc/<pid>/task/<tid>/children}, because the
 * watchdog must find a fork's child without calling {@code waitpid}, which would reap the
 * application's own child (docs/DESIGN.md, Watching a child through /proc).
 *
 * <p>The kernel lists a child under the thread that forked it, and keeps listing it while it is a
 * zombie; a child whose parent thread has exited is listed under the thread group leader.
 */
public final class ChildProcesses {

    private static final int[] NONE = new int[0];

    private ChildProcesses() {
    }

    /**
     * The pids of the children of thread {@code tid} of process {@code pid}; empty when it has none,
     * when the thread or process does not exist, or when the kernel lacks the children file
     * ({@link #supported()} tells the last case apart).
     *
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public static int[] of(int pid, int tid) {
        Path path = Paths.get("/proc", Integer.toString(pid), "task", Integer.toString(tid), "children");
        String content;
        try {
            content = ProcFiles.read(path, new byte[128]);
        } catch (IOException e) {
            if (!Files.exists(path)) {
                // The thread exited between open and read.
                return NONE;
            }
            throw new UncheckedIOException(e);
        }
        return content == null ? NONE : parsePids(content);
    }

    /**
     * True when this kernel provides the children files (CONFIG_PROC_CHILDREN, standard in
     * distribution kernels).
     */
    public static boolean supported() {
        return Files.exists(Paths.get("/proc/thread-self/children"));
    }

    /** Space-separated decimal pids, as the kernel writes them (with a trailing space). */
    static int[] parsePids(String content) {
        int[] pids = new int[8];
        int count = 0;
        int n = content.length();
        int i = 0;
        while (i < n) {
            char ch = content.charAt(i);
            if (ch < '0' || ch > '9') {
                i++;
                continue;
            }
            int value = 0;
            while (i < n && (ch = content.charAt(i)) >= '0' && ch <= '9') {
                value = value * 10 + (ch - '0');
                i++;
            }
            if (count == pids.length) {
                pids = Arrays.copyOf(pids, count * 2);
            }
            pids[count++] = value;
        }
        return count == 0 ? NONE : Arrays.copyOf(pids, count);
    }
}
