package dev.forkguard.it.app;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * C calls a test child makes to rename itself or exec, direct-mapped and bound in the parent, with
 * their arguments in native memory prepared in the parent: the child allocates nothing and resolves
 * nothing (docs/DESIGN.md, Child-safe code).
 */
final class ChildCalls {

    /** prctl option that sets the calling thread's name, which is the process's comm for a one-thread child. */
    static final int PR_SET_NAME = 15;

    static {
        Native.register(ChildCalls.class, NativeLibrary.getProcess());
    }

    private ChildCalls() {}

    static native int prctl(int option, Pointer arg2, long arg3, long arg4, long arg5);

    static native int execv(Pointer path, Pointer argv);

    /** A NUL-terminated string in native memory. */
    static Memory cString(String s) {
        byte[] bytes = (s + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    /** A NULL-terminated argv array pointing at {@code args}, which the caller keeps reachable. */
    static Memory argv(Memory... args) {
        Memory m = new Memory((long) Native.POINTER_SIZE * (args.length + 1));
        for (int i = 0; i < args.length; i++) {
            m.setPointer((long) Native.POINTER_SIZE * i, args[i]);
        }
        m.setPointer((long) Native.POINTER_SIZE * args.length, null);
        return m;
    }
}
