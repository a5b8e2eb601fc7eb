package dev.forkguard.agent.registry;

/**
 * What the agent knows of one tracked lock or executor: its type, identity and creation site. Made
 * when asked for (a lock held at a fork, a pool's worker): the tables keep only the interned site
 * and the identity hash.
 *
 * @param type the object's class, e.g. {@code java.util.concurrent.locks.ReentrantLock}
 * @param identityHash the object's own identity hash (for a lock, not its synchronizer's), as
 *     {@code jstack} prints it
 * @param site where the object was made
 */
public record TrackedObject(String type, int identityHash, CreationSite site) {

    /** {@code java.util.concurrent.locks.ReentrantLock@1b6d3586}. */
    public String identity() {
        return type + "@" + Integer.toHexString(identityHash);
    }

    // equals and hashCode are written out, not left to the record's invokedynamic ones: the site is
    // compared by identity (sites are interned) and nothing here needs a bootstrap.
    @Override
    public boolean equals(Object o) {
        return o instanceof TrackedObject && ((TrackedObject) o).identityHash == identityHash
                && ((TrackedObject) o).site == site && ((TrackedObject) o).type.equals(type);
    }

    @Override
    public int hashCode() {
        return identityHash;
    }
}
