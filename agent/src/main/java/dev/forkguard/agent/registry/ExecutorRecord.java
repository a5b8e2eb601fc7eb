package dev.forkguard.agent.registry;

/** A tracked {@code ThreadPoolExecutor} or {@code ForkJoinPool}: its identity and creation site. */
public final class ExecutorRecord {

    private final String type;
    private final int identityHash;
    private final LazySite site;

    public ExecutorRecord(String type, int identityHash, LazySite site) {
        this.type = type;
        this.identityHash = identityHash;
        this.site = site;
    }

    public String type() {
        return type;
    }

    public int identityHash() {
        return identityHash;
    }

    public CreationSite site() {
        return site.resolve();
    }

    public String identity() {
        return type + "@" + Integer.toHexString(identityHash);
    }
}
