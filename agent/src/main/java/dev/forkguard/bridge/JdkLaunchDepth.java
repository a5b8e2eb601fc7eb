package dev.forkguard.bridge;

/**
 * Where the per-thread depth inside {@code ProcessImpl.start} is kept when the agent's C fork handlers
 * are loaded: in their thread-local state, so they can skip a JDK launch without entering Java.
 */
public interface JdkLaunchDepth {

    /** The calling thread enters {@code ProcessImpl.start}. */
    void entered();

    /** The calling thread leaves it, normally or not. */
    void left();
}
