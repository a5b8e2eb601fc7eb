package dev.forkguard.probe;

import com.sun.jna.Callback;

/**
 * A fork handler that the C library calls around {@code fork()}, in the thread that forks.
 *
 * <p>Implementations run inside the fork pause of the whole process: keep them short, and
 * never let them take a lock that another thread might hold.
 */
public interface AtforkCallback extends Callback {

    /** Called by the C library with no arguments; its return value is ignored. */
    void invoke();
}
