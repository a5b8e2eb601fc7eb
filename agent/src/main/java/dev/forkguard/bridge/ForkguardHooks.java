package dev.forkguard.bridge;

/**
 * What instrumented JDK code reports to the agent. The agent's implementation lives in its isolated
 * class loader; this interface is on the boot class path so that advice inlined into
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
}
