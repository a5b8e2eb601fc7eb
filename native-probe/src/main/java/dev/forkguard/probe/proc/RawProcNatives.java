package dev.forkguard.probe.proc;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

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

    /** A NUL-terminated path for {@link #open}. */
    static byte[] path(String path) {
        byte[] ascii = path.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(ascii, ascii.length + 1);
    }

    static native int open(byte[] path, int flags);

    static native long read(int fd, byte[] buf, long count);

    static native long getdents64(int fd, byte[] buf, long count);

    static native int close(int fd);
}
