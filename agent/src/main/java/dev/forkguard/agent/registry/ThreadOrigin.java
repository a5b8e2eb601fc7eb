package dev.forkguard.agent.registry;

/**
 * Where a thread came from: who started it and from where, and the executor it works for.
 * Immutable and interned by {@link ThreadRegistry}: the workers started on one line for one pool by
 * threads of one name share one origin, so a tracked thread costs only its table entry.
 */
public final class ThreadOrigin {

    /** Nothing seen yet. */
    static final ThreadOrigin NONE = new ThreadOrigin(null, null, null);

    private final String starterName;
    private final CreationSite startSite;
    private final TrackedObject executor;

    ThreadOrigin(String starterName, CreationSite startSite, TrackedObject executor) {
        this.starterName = starterName;
        this.startSite = startSite;
        this.executor = executor;
    }

    /** This origin, now started by the thread named {@code starter} at {@code site}. */
    ThreadOrigin started(String starter, CreationSite site) {
        return new ThreadOrigin(starter, site, executor);
    }

    /** This origin, now a worker of {@code pool}. */
    ThreadOrigin workerOf(TrackedObject pool) {
        return new ThreadOrigin(starterName, startSite, pool);
    }

    /** Name of the thread that called {@code start()}, or null if the start was not seen. */
    public String starterName() {
        return starterName;
    }

    /** Where {@code start()} was called, or null if not seen. */
    public CreationSite startSite() {
        return startSite;
    }

    /** The executor this thread works for, or null. */
    public TrackedObject executor() {
        return executor;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ThreadOrigin)) {
            return false;
        }
        ThreadOrigin t = (ThreadOrigin) o;
        return startSite == t.startSite
                && (starterName == null ? t.starterName == null : starterName.equals(t.starterName))
                && (executor == null ? t.executor == null : executor.equals(t.executor));
    }

    @Override
    public int hashCode() {
        int h = System.identityHashCode(startSite);
        h = h * 31 + (starterName == null ? 0 : starterName.hashCode());
        return h * 31 + (executor == null ? 0 : executor.hashCode());
    }
}
