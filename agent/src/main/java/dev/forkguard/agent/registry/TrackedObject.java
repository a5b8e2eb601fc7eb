package dev.forkguard.agent.registry;

/** What the agent knows of one tracked lock or executor: its type, identity and creation site. */
public final class TrackedObject {

    private final String type;
    private final int identityHash;
    private final LazySite site;

    public TrackedObject(String type, int identityHash, LazySite site) {
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

    /** Where the object was made; resolves the captured stack on first call. */
    public CreationSite site() {
        return site.resolve();
    }

    boolean sitePending() {
        return site.pending();
    }

    /** {@code java.util.concurrent.locks.ReentrantLock@1b6d3586}. */
    public String identity() {
        return type + "@" + Integer.toHexString(identityHash);
    }
}
