package dev.forkguard.probe.proc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The calling thread's children, read in a fork handler and parsed after the fork: one raw read of
 * {@code /proc/thread-self/children} (no {@code Path}, no {@code String}), because the parent handler
 * runs while the child still shares every page, and each first write the parent makes then costs a
 * copy-on-write fault. Falls back to {@link ChildProcesses#of} where the raw calls are not bound.
 */
public final class ChildrenListing {

    private static final byte[] THREAD_CHILDREN = RawProcNatives.path("/proc/thread-self/children");
    private static final int[] NONE = new int[0];

    private final byte[] content;
    private final int length;
    private int[] pids;

    private ChildrenListing(byte[] content, int length, int[] pids) {
        this.content = content;
        this.length = length;
        this.pids = pids;
    }

    /** Reads the children of the calling thread, of process {@code pid} and thread {@code tid}. */
    public static ChildrenListing ofCallingThread(int pid, int tid) {
        if (RawProcNatives.BOUND) {
            int fd = RawProcNatives.open(THREAD_CHILDREN, RawProcNatives.O_RDONLY | RawProcNatives.O_CLOEXEC);
            if (fd >= 0) {
                try {
                    byte[] buf = new byte[256];
                    int length = 0;
                    while (true) {
                        if (length == buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 4);
                        }
                        byte[] into = length == 0 ? buf : new byte[buf.length - length];
                        long n = RawProcNatives.read(fd, into, into.length);
                        if (n <= 0) {
                            return n < 0 ? new ChildrenListing(null, 0, NONE) : new ChildrenListing(buf, length, null);
                        }
                        if (into != buf) {
                            System.arraycopy(into, 0, buf, length, (int) n);
                        }
                        length += (int) n;
                    }
                } finally {
                    RawProcNatives.close(fd);
                }
            }
        }
        return new ChildrenListing(null, 0, ChildProcesses.of(pid, tid));
    }

    /** The children's pids; parsed on the first call. */
    public synchronized int[] pids() {
        if (pids == null) {
            pids = ChildProcesses.parsePids(new String(content, 0, length, StandardCharsets.US_ASCII));
        }
        return pids;
    }
}
