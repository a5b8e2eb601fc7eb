package dev.forkguard.probe.proc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The thread ids of this process, listed inside the fork window and parsed after it. The listing is
 * one raw copy of {@code /proc/self/task}'s directory entries ({@code getdents64}); Java's file API
 * there made a {@code Path} and a {@code String} per thread in code that runs once a fork, so mostly
 * interpreted, inside the fork pause (see docs/DESIGN.md, The fork window). Where the raw calls are not
 * available (glibc before 2.30) the Java listing is used instead.
 */
public final class TaskListing {

    private static final byte[] TASK_DIR = RawProcNatives.path("/proc/self/task");
    /**
     * A {@code linux_dirent64} of a tid takes 24 bytes: about 170 threads a call. Small on purpose:
     * every page written in the fork window for the first time since an earlier fork costs a
     * write-protect fault (and a TLB shootdown), and most processes have fewer threads.
     */
    private static final int CHUNK = 4096;
    /** Offsets of {@code d_reclen} and {@code d_name} in a {@code linux_dirent64}. */
    private static final int RECLEN = 16;
    private static final int NAME = 19;

    private final byte[] dirents;
    private int[] tids;

    private TaskListing(byte[] dirents, int[] tids) {
        this.dirents = dirents;
        this.tids = tids;
    }

    /** Lists this process's threads now; cheap enough for the fork window. */
    public static TaskListing now() {
        byte[] raw = RawProcNatives.BOUND ? RawProcNatives.readAll(TASK_DIR, true, CHUNK) : null;
        return raw != null ? new TaskListing(raw, null) : new TaskListing(null, ProcTasks.tids());
    }

    /** The thread ids listed, in the kernel's order; parsed on the first call. */
    public synchronized int[] tids() {
        if (tids == null) {
            tids = parse(dirents);
        }
        return tids;
    }

    /** The thread ids in raw {@code linux_dirent64} records ("." and ".." left out). */
    static int[] parse(byte[] dirents) {
        int[] out = new int[64];
        int n = 0;
        int at = 0;
        while (at + NAME < dirents.length) {
            int reclen = (dirents[at + RECLEN] & 0xff) | (dirents[at + RECLEN + 1] & 0xff) << 8;
            if (reclen <= NAME) {
                break;
            }
            int end = at + NAME;
            while (end < at + reclen && dirents[end] != 0) {
                end++;
            }
            int tid = ProcTasks.parseTid(new String(dirents, at + NAME, end - at - NAME, StandardCharsets.US_ASCII));
            if (tid > 0) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = tid;
            }
            at += reclen;
        }
        return Arrays.copyOf(out, n);
    }
}
