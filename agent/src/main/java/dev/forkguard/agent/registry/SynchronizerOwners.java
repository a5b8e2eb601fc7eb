package dev.forkguard.agent.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.StampedLock;

/**
 * Reads which thread owns a {@code java.util.concurrent} lock exclusively, straight from
 * {@code AbstractOwnableSynchronizer.exclusiveOwnerThread}.
 *
 * <p>Why: {@code ThreadMXBean.dumpAllThreads(.., lockedSynchronizers = true, ..)} finds owned
 * synchronizers by walking the whole heap inside its safepoint, a cost that grows with the heap and
 * is all added to the fork pause (see docs/DESIGN.md, The fork window). Reading
 * the owner of each lock the agent tracks costs nanoseconds a lock. The package is opened to the
 * agent's module alone, by {@code Instrumentation.redefineModule}, before {@link #init} runs.
 */
public final class SynchronizerOwners {

    private static volatile VarHandle owner;
    private static volatile VarHandle state;

    private static final String SEMAPHORE_SYNC = "java.util.concurrent.Semaphore$";

    private SynchronizerOwners() {}

    /** Needs {@code java.util.concurrent.locks} open to this class's module. */
    public static void init() throws ReflectiveOperationException {
        owner = MethodHandles.privateLookupIn(AbstractOwnableSynchronizer.class, MethodHandles.lookup())
                .findVarHandle(AbstractOwnableSynchronizer.class, "exclusiveOwnerThread", Thread.class);
        state = MethodHandles.privateLookupIn(AbstractQueuedSynchronizer.class, MethodHandles.lookup())
                .findVarHandle(AbstractQueuedSynchronizer.class, "state", int.class);
    }

    /**
     * Whether a lock without an owner field is taken: a {@code Semaphore} (its AQS) with no permits
     * left, or a {@code StampedLock} locked for reading or writing.
     */
    public static boolean exhausted(Object synchronizer) {
        if (synchronizer instanceof StampedLock) {
            StampedLock s = (StampedLock) synchronizer;
            return s.isWriteLocked() || s.isReadLocked();
        }
        VarHandle h = state;
        if (h == null || !(synchronizer instanceof AbstractQueuedSynchronizer)
                || !synchronizer.getClass().getName().startsWith(SEMAPHORE_SYNC)) {
            return false;
        }
        return (int) h.getVolatile((AbstractQueuedSynchronizer) synchronizer) <= 0;
    }

    /** The exclusive owner of {@code synchronizer}, or null if none or not an ownable synchronizer. */
    public static Thread ownerOf(Object synchronizer) {
        VarHandle h = owner;
        if (h == null || !(synchronizer instanceof AbstractOwnableSynchronizer)) {
            return null;
        }
        return (Thread) h.get((AbstractOwnableSynchronizer) synchronizer);
    }
}
