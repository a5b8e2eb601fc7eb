package dev.forkguard.agent.fork;

import dev.forkguard.bridge.JdkLaunchDepth;
import dev.forkguard.probe.AtforkLibrary;

/**
 * Keeps a platform thread's JDK-launch depth in the C fork handlers' thread-local state (one
 * direct-mapped call). Not a virtual thread's: C's thread-local state is its carrier's, and a virtual
 * thread that parks inside {@code ProcessImpl.start} (the process reaper's executor takes locks) may
 * leave it on another carrier, which would leave the first one counted as launching for ever.
 */
public final class NativeJdkLaunchDepth implements JdkLaunchDepth {

    /** {@code java.lang.BaseVirtualThread}, the superclass of every virtual thread (JDK 21+), or null on JDK 17. */
    private static final Class<?> VIRTUAL_THREAD = virtualThreadClass();

    @Override
    public boolean entered() {
        if (isVirtual(Thread.currentThread())) {
            return false;
        }
        AtforkLibrary.launchEntered();
        return true;
    }

    @Override
    public boolean left() {
        if (isVirtual(Thread.currentThread())) {
            return false;
        }
        AtforkLibrary.launchLeft();
        return true;
    }

    private static boolean isVirtual(Thread thread) {
        return VIRTUAL_THREAD != null && VIRTUAL_THREAD.isInstance(thread);
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.BaseVirtualThread", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
