package dev.forkguard.probe.proc;

import java.nio.charset.StandardCharsets;

/**
 * The calling thread's children, read in a fork handler and parsed after the fork: one raw read of
 * {@code /proc/thread-self/children} (no {@code Path}, no {@code String}), because the parent handler
 * runs while the child still shares every page, and each first write the parent makes then costs a
 * copy-on-write fault. Falls back to {@link ChildProcesses#of} where the raw calls are not bound.
 */
public final class ChildrenListing {

    private static final byte[] THREAD_CHILDREN = RawProcNatives.path("/proc/thread-self/children");
    /** Pids of up to 7 digits and a space: about 30 children a call. */
    private static final int CHUNK = 256;

    private final byte[] content;
    private int[] pids;

    private ChildrenListing(byte[] content, int[] pids) {
        this.content = content;
        this.pids = pids;
    }

    /** Reads the children of the calling thread, of process {@code pid} and thread {@code tid}. */
    public static ChildrenListing ofCallingThread(int pid, int tid) {
        byte[] raw = RawProcNatives.BOUND ? RawProcNatives.readAll(THREAD_CHILDREN, false, CHUNK) : null;
        return raw != null ? new ChildrenListing(raw, null) : new ChildrenListing(null, ChildProcesses.of(pid, tid));
    }

    /** The children's pids; parsed on the first call. */
    public synchronized int[] pids() {
        if (pids == null) {
            pids = ChildProcesses.parsePids(new String(content, StandardCharsets.US_ASCII));
        }
        return pids;
    }
}
