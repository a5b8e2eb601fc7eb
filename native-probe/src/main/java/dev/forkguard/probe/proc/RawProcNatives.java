package dev.forkguard.probe.proc;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The C library calls {@link TaskListing} and {@link ChildrenListing} need, direct-mapped so each costs one JNI transition.
 * {@code getdents64} is exported since glibc 2.30; binding fails before that, and callers fall back
 * to Java's file API.
 */
final class RawProcNatives {

    static final int O_RDONLY = 0;
    static final int O_DIRECTORY = 0200000;
    static final int O_CLOEXEC = 02000000;

    /** False where the C library lacks one of these calls: callers then use Java's file API. */
    static final boolean BOUND = bind();

    private RawProcNatives() {
    }

    private static boolean bind() {
        try {
            Native.register(RawProcNatives.class, NativeLibrary.getProcess());
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * The whole content of {@code path}, read {@code chunk} bytes a call ({@code getdents64} for a
     * directory): raw bytes, nothing parsed, so it can run inside the fork window. Null when it
     * cannot be opened or read. The first chunk is read in place; JNA copies a whole array in and
     * out, so later ones go to a chunk of their own.
     */
    static byte[] readAll(byte[] path, boolean directory, int chunk) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
        if (fd < 0) {
            return null;
        }
        try {
            byte[] all = new byte[chunk];
            byte[] into = all;
            int length = 0;
            while (true) {
                long n = directory ? getdents64(fd, into, into.length) : read(fd, into, into.length);
                if (n < 0) {
                    return null;
                }
                if (n == 0) {
                    return Arrays.copyOf(all, length);
                }
                if (into != all) {
                    if (all.length - length < n) {
                        all = Arrays.copyOf(all, Math.max(all.length * 2, length + (int) n));
                    }
                    System.arraycopy(into, 0, all, length, (int) n);
                } else {
                    into = new byte[chunk];
                }
                length += (int) n;
            }
        } finally {
            close(fd);
        }
    }

    /** A NUL-terminated path for {@link #open}. */
    static byte[] path(String path) {
        byte[] ascii = path.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(ascii, ascii.length + 1);
    }

    static native int open(byte[] path, int flags);

    static native long read(int fd, byte[] buf, long count);

    static native long getdents64(int fd, byte[] buf, long count);

    static native int close(int fd);
}
