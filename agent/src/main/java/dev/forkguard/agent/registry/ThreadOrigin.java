package dev.forkguard.agent.registry;

/**
 * Where a thread came from: who started it and from where, and the executor it works for. The two
 * halves arrive separately (an executor creates its worker before starting it), hence the setters.
 */
public final class ThreadOrigin {

    private volatile String starterName;
    private volatile long starterId = -1;
    private volatile LazySite startSite;
    private volatile TrackedObject executor;

    void started(String starterName, long starterId, LazySite startSite) {
        this.starterName = starterName;
        this.starterId = starterId;
        this.startSite = startSite;
    }

    void workerOf(TrackedObject executor) {
        this.executor = executor;
    }

    /** Name of the thread that called {@code start()}, or null if the start was not seen. */
    public String starterName() {
        return starterName;
    }

    public long starterId() {
        return starterId;
    }

    /** Where {@code start()} was called, or null if not seen. */
    public CreationSite startSite() {
        LazySite s = startSite;
        return s == null ? null : s.resolve();
    }

    /** The executor this thread works for, or null. */
    public TrackedObject executor() {
        return executor;
    }
}
