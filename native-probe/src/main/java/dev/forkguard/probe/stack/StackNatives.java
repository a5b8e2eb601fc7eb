package dev.forkguard.probe.stack;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library functions a native stack scan needs, direct-mapped (no proxy, no lazy lookup) so a
 * call inside the fork window costs one JNI transition. {@code dladdr1} is in libc since glibc 2.34
 * and in the already loaded libdl before that; {@code NativeLibrary.getProcess()} finds either.
 */
final class StackNatives {

    /** {@code dladdr1} flag asking for the ELF symbol table entry. */
    static final int RTLD_DL_SYMENT = 1;

    private StackNatives() {
    }

    static void bind() {
        Native.register(StackNatives.class, NativeLibrary.getProcess());
    }

    static native int getcontext(Pointer ucontext);

    static native long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov,
            long remoteCount, long flags);

    static native long pthread_self();

    static native int pthread_getattr_np(long thread, Pointer attr);

    static native int pthread_attr_getstack(Pointer attr, Pointer stackAddr, Pointer stackSize);

    static native int pthread_attr_destroy(Pointer attr);

    static native int dladdr1(long address, Pointer info, Pointer extra, int flags);
}
