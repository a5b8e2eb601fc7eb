package dev.forkguard.agent.registry;

/**
 * What the agent knows of one tracked lock or executor: its type, identity and creation site. Made
 * when asked for (a lock held at a fork, a pool's worker): the tables keep only the interned site
 * and the identity hash.
 */
public final class TrackedObject {

    private final String type;
    private final int identityHash;
    private final CreationSite site;

    public TrackedObject(String type, int identityHash, CreationSite site) {
        this.type = type;
        this.identityHash = identityHash;
        this.site = site;
    }

    /** The object's class, e.g. {@code java.util.concurrent.locks.ReentrantLock}. */
    public String type() {
        return type;
    }

    /** The object's own identity hash (for a lock, not its synchronizer's), as {@code jstack} prints it. */
    public int identityHash() {
        return identityHash;
    }

    /** Where the object was made. */
    public CreationSite site() {
        return site;
    }

    /** {@code java.util.concurrent.locks.ReentrantLock@1b6d3586}. */
    public String identity() {
        return type + "@" + Integer.toHexString(identityHash);
    }

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
