package dev.forkguard.probe;

import com.sun.jna.Native;

/**
 * Signals a process through a pidfd (Linux 5.3+), because a pid alone may name another process by the
 * time a signal arrives: a pidfd names one process for good, so once its identity has been checked
 * through it, a signal sent through it can never reach a process that reused the pid. The watchdog
 * uses it to end a hung child ({@code onHung=kill}); never called in a forked child.
 */
public final class PidFd {

    /** pidfd_open and pidfd_send_signal have one number on every architecture (the unified table, 5.1+). */
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;

    private static boolean bound;

    private PidFd() {}

    /**
     * Opens a pidfd for {@code pid}; -1 when the process does not exist, the kernel has no pidfds, or
     * the binding failed (the caller then falls back to {@link Libc#kill}, or does nothing).
     */
    public static int open(int pid) {
        if (!bind()) {
            return -1;
        }
        return (int) Natives.syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0);
    }

    /** Sends {@code signal} to the process {@code fd} names; 0 on success, -1 when it has ended or on error. */
    public static int sendSignal(int fd, int signal) {
        if (!bind()) {
            return -1;
        }
        return (int) Natives.syscall(SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0);
    }

    public static void close(int fd) {
        if (fd >= 0 && bind()) {
            Natives.close(fd);
        }
    }

    private static synchronized boolean bind() {
        if (!bound) {
            try {
                Native.register(Natives.class, Libc.cLibrary());
                bound = true;
            } catch (LinkageError | RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private static final class Natives {
        /**
         * {@code long syscall(long number, ...)} with four integer arguments: variadic in C, and sound as
         * fixed-arity on x86_64 and aarch64 Linux, where integer arguments travel in the same registers.
         */
        static native long syscall(long number, long a, long b, long c, long d);

        static native int close(int fd);
    }
}
