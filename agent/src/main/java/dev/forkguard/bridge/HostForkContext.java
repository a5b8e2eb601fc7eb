package dev.forkguard.bridge;

/**
 * What a host language (Python through JPype) hands over just before it forks: its own view of the
 * fork (the code that forked, its threads), as one opaque text the agent parses after the fork. The
 * only bridge class meant for applications; it accepts context for the calling thread's next fork
 * and nothing else: no agent state is reachable from here.
 *
 * <p>One slot for the whole process: a host hands over with its interpreter lock held, right before
 * {@code fork()}, so two hand-overs in flight at once are rare; the later one wins, and the earlier
 * thread's fork then has no host context, never another thread's. The prepare handler takes the text
 * only when the same thread handed it over within {@link #MAX_AGE_NANOS}; a text no fork took (the
 * fork failed before libc's handlers ran) is replaced by the next hand-over or dropped by the next fork.
 */
public final class HostForkContext {

    /** Longer than any sane gap between a host's before-fork hook and its {@code fork()} call. */
    public static final long MAX_AGE_NANOS = 5_000_000_000L;

    private static volatile Thread owner;
    private static volatile String text;
    private static volatile long handedOverNanos;

    private HostForkContext() {}

    /**
     * Hands over {@code context} for the calling thread's next fork. Called by forkguard's Python
     * package from {@code os.register_at_fork(before=...)}; never throws.
     */
    public static void beforeFork(String context) {
        synchronized (HostForkContext.class) {
            owner = null; // a reader never pairs the new owner with the old text
            text = context;
            handedOverNanos = System.nanoTime();
            owner = Thread.currentThread();
        }
    }

    /**
     * Takes the text the calling thread handed over for this fork, or null. Called by the prepare
     * handler in the forking thread: no allocation, no lock (a thread could fork while another is
     * inside {@link #beforeFork}; the slot's monitor is never waited for here).
     */
    public static String takeForCurrentFork() {
        Thread handedOverBy = owner;
        if (handedOverBy == null) {
            return null;
        }
        if (handedOverBy != Thread.currentThread()) {
            return null; // another thread's, for its own fork
        }
        String taken = text;
        long age = System.nanoTime() - handedOverNanos;
        if (owner != handedOverBy) {
            return null; // another hand-over began meanwhile: the text read may be its
        }
        owner = null;
        text = null;
        return age >= 0 && age <= MAX_AGE_NANOS ? taken : null;
    }
}
