package dev.forkguard.agent.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Creation sites of tracked locks, keyed weakly by the object the JVM reports as owned: the
 * {@code sync} of a {@code ReentrantLock} or {@code ReentrantReadWriteLock}, the lock itself for a
 * {@code StampedLock}. The fork-time snapshot looks locks up by that object's identity hash.
 */
public final class LockRegistry {

    private final IdentityWeakTable<LockRecord> table;
    private final int siteDepth;

    public LockRegistry(int maxEntries, int siteDepth) {
        this.table = new IdentityWeakTable<>(maxEntries);
        this.siteDepth = siteDepth;
    }

    /** Records a new lock, capturing the calling stack as its creation site. */
    public void record(Object lock, Object synchronizer) {
        LockRecord r = new LockRecord(lock.getClass().getName(), System.identityHashCode(lock),
                CreationSite.capture(siteDepth));
        table.put(synchronizer, r);
    }

    /** Records a lock that existed before the agent started, with an unknown site. */
    public void recordExisting(Object lock, Object synchronizer) {
        if (table.get(synchronizer) == null) {
            table.put(synchronizer, new LockRecord(lock.getClass().getName(), System.identityHashCode(lock),
                    CreationSite.BEFORE_AGENT));
        }
    }

    public LockRecord bySynchronizer(Object synchronizer) {
        return table.get(synchronizer);
    }

    /** The record of the synchronizer with this identity hash, or null if none or ambiguous. */
    public LockRecord bySynchronizerHash(int identityHash) {
        List<LockRecord> found = new ArrayList<>(1);
        table.findByIdentityHash(identityHash, found);
        return found.size() == 1 ? found.get(0) : null;
    }

    public int size() {
        return table.size();
    }

    public long dropped() {
        return table.dropped();
    }
}
