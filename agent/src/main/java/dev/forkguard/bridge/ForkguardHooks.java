package dev.forkguard.bridge;

/**
 * What instrumented JDK code reports to the agent. The agent's implementation lives in its isolated
 * class loader; this interface is defined in the boot loader so that advice inlined into
 * {@code java.lang.Thread} and {@code java.util.concurrent} can reach it.
 */
public interface ForkguardHooks {

    /** A platform thread is about to start; called on the starting thread. */
    void threadStarting(Thread thread);

    /**
     * A lock was constructed.
     *
     * @param lock the lock the application holds a reference to
     * @param synchronizer the object the JVM reports as owned ({@code sync} of AQS-based locks), or
     *     the lock itself when it has no such object
     */
    void lockCreated(Object lock, Object synchronizer);

    /** A {@code ThreadPoolExecutor} or {@code ForkJoinPool} was constructed. */
    void executorCreated(Object executor);

    /** A worker thread was created for an executor, before it is started. */
    void workerCreated(Object executor, Thread worker);

    /**
     * A thread is about to acquire a lock while a fork is in flight, or in a forked child. May throw
     * {@link OrphanedLockError} (the only exception the bridge lets through), or end the process.
     *
     * @param lock the lock object the application called
     * @param synchronizer its AQS {@code sync}, or the lock itself
     * @param timed true for a timed acquisition, which must keep its time-out
     */
    void lockAcquiring(Object lock, Object synchronizer, boolean timed);
}
