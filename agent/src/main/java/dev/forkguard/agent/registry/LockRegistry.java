package dev.forkguard.agent.registry;

import java.util.concurrent.atomic.LongAdder;

/**
 * Creation sites of tracked locks, keyed weakly by the object the JVM reports as owned: the
 * {@code sync} of a {@code ReentrantLock} or {@code ReentrantReadWriteLock}, the lock itself for a
 * {@code StampedLock}. The fork-time snapshot looks locks up by that object's identity hash.
 *
 * <p>A tracked lock costs one table entry holding its interned site and its own identity hash
 * (about 56 bytes with the entry's bucket slot); its {@link TrackedObject} is made when asked for.
 */
public final class LockRegistry {

    private final IdentityWeakTable<CreationSite> table;
    private final CreationSites sites;
    private final TrackingBudget budget;
    /** Locks left untracked because their site was new and the site table full. */
    private final LongAdder siteRefused = new LongAdder();
    /** Test-only fault injection (forkguardTest.faultInjection=registry): every call throws. */
    private volatile boolean injectedFault;

    public LockRegistry(TrackedCapacity capacity, CreationSites sites, TrackingBudget budget) {
        this.table = new IdentityWeakTable<>(capacity);
        this.sites = sites;
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
        CreationSite site = sites.capture(lock.getClass());
        if (site == null) {
            siteRefused.increment();
            return;
        }
        table.put(synchronizer, site, System.identityHashCode(lock));
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
        table.forEach(new IdentityWeakTable.Visitor<CreationSite>() {
            @Override
            public void visit(Object synchronizer, CreationSite site, int lockHash) {
                Thread owner = SynchronizerOwners.ownerOf(synchronizer);
                if (owner != null) {
                    visitor.held(synchronizer, new TrackedObject(site.type(), lockHash, site), owner);
                } else if (SynchronizerOwners.exhausted(synchronizer)) {
                    visitor.held(synchronizer, new TrackedObject(site.type(), lockHash, site), null);
                }
            }
        });
    }

    /** The record of the synchronizer with this identity hash, or null if none or ambiguous. */
    public TrackedObject bySynchronizerHash(int identityHash) {
        final TrackedObject[] found = new TrackedObject[1];
        final int[] count = new int[1];
        table.findByIdentityHash(identityHash, new IdentityWeakTable.Visitor<CreationSite>() {
            @Override
            public void visit(Object synchronizer, CreationSite site, int lockHash) {
                found[0] = new TrackedObject(site.type(), lockHash, site);
                count[0]++;
            }
        });
        return count[0] == 1 ? found[0] : null;
    }

    /** Drops the entries of collected locks; for a background thread, now and then. */
    public void expungeStale() {
        table.expungeStale();
    }

    public int size() {
        return table.size();
    }

    /** Locks not tracked: the capacity ({@code maxTracked}) or the rate budget spent, or no room for a new site. */
    public long notTracked() {
        return table.dropped() + budget.refused() + siteRefused.sum();
    }
}
