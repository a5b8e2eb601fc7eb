package dev.forkguard.agent.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Creation sites of tracked locks, keyed weakly by the object the JVM reports as owned: the
 * {@code sync} of a {@code ReentrantLock} or {@code ReentrantReadWriteLock}, the lock itself for a
 * {@code StampedLock}. The fork-time snapshot looks locks up by that object's identity hash.
 */
public final class LockRegistry {

    private final IdentityWeakTable<TrackedObject> table;
    private final int siteDepth;
    private final TrackingBudget budget;
    /** Test-only fault injection (forkguardTest.faultInjection=registry): every call throws. */
    private volatile boolean injectedFault;

    public LockRegistry(int maxEntries, int siteDepth, TrackingBudget budget) {
        this.table = new IdentityWeakTable<>(maxEntries);
        this.siteDepth = siteDepth;
        this.budget = budget;
    }

    /**
     * Makes {@link #record} and {@link #collectHeld} throw from now on: the integration tests' way to
     * show that a registry failing inside the agent never reaches the application.
     */
    public void injectFault() {
        injectedFault = true;
    }

    private void failIfInjected() {
        if (injectedFault) {
            throw new IllegalStateException("injected fault: forkguardTest.faultInjection=registry");
        }
    }

    /** Records a new lock, capturing the calling stack as its creation site, if the budget allows. */
    public void record(Object lock, Object synchronizer) {
        failIfInjected();
        if (!budget.tryTake()) {
            return;
        }
        TrackedObject r = new TrackedObject(lock.getClass().getName(), System.identityHashCode(lock),
                LazySite.capture(siteDepth));
        table.put(synchronizer, r);
    }

    /** Receives each tracked lock that is taken right now. */
    public interface HeldVisitor {
        /** @param owner the exclusive owner, or null for a lock that records none (Semaphore, StampedLock) */
        void held(Object synchronizer, TrackedObject record, Thread owner);
    }

    /**
     * Visits every tracked lock taken right now: owned exclusively, a semaphore with no permits left, a
     * locked StampedLock. Runs in the fork window: a pass over the table, a field read a lock.
     */
    public void collectHeld(final HeldVisitor visitor) {
        failIfInjected();
        table.forEach(new IdentityWeakTable.Visitor<TrackedObject>() {
            @Override
            public void visit(Object synchronizer, TrackedObject record) {
                Thread owner = SynchronizerOwners.ownerOf(synchronizer);
                if (owner != null) {
                    visitor.held(synchronizer, record, owner);
                } else if (SynchronizerOwners.exhausted(synchronizer)) {
                    visitor.held(synchronizer, record, null);
                }
            }
        });
    }

    /** The record of the synchronizer with this identity hash, or null if none or ambiguous. */
    public TrackedObject bySynchronizerHash(int identityHash) {
        List<TrackedObject> found = new ArrayList<>(1);
        table.findByIdentityHash(identityHash, found);
        return found.size() == 1 ? found.get(0) : null;
    }

    /**
     * Resolves the sites of up to {@code max} locks that are still alive, so that long-lived locks
     * drop their captured stacks for a shared interned site; called now and then off the app's threads.
     */
    public int resolvePending(final int max) {
        table.expungeStale();
        final int[] done = new int[1];
        table.forEach(new IdentityWeakTable.Visitor<TrackedObject>() {
            @Override
            public void visit(Object key, TrackedObject value) {
                if (done[0] < max && value.sitePending()) {
                    value.site();
                    done[0]++;
                }
            }
        });
        return done[0];
    }

    public int size() {
        return table.size();
    }

    /** Locks not tracked: the table was full or the rate budget spent. */
    public long dropped() {
        return table.dropped() + budget.refused();
    }
}
