package dev.forkguard.probe;

/**
 * Holds {@code syscall} so that {@link Libc#gettid()} still works where the C library lacks a
 * {@code gettid} wrapper.
 */
final class SyscallNative {

    private SyscallNative() {
    }

    /**
     * {@code long syscall(long number, ...)} called with no further arguments. It is variadic in C;
     * calling it as fixed-arity is sound on x86_64 and aarch64 Linux for argument-less system calls,
     * the only ones this class is used for.
     */
    static native long syscall(long number);
}
