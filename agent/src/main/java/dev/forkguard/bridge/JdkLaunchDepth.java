package dev.forkguard.bridge;

/**
 * Where the per-thread depth inside {@code ProcessImpl.start} is kept when the agent's C fork handlers
 * are loaded: in their thread-local state, so they can skip a JDK launch without entering Java.
 */
public interface JdkLaunchDepth {

    /**
     * The calling thread enters {@code ProcessImpl.start}.
     *
     * @return false when this thread's depth cannot be kept here (a virtual thread: C's thread-local
     *         state belongs to its carrier, which may change before the launch ends); the bridge then
     *         keeps it in Java, and the Java handlers skip that launch's fork
     */
    boolean entered();

    /** The calling thread leaves it, normally or not; false exactly when {@link #entered} was. */
    boolean left();
}
