package dev.forkguard.agent.registry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps how many locks a second are tracked, after a burst (a generic cell-rate limiter: one
 * {@code AtomicLong}, no lock). Tracking a lock (a captured stack and a weak entry the GC must
 * process) costs hundreds of times {@code new ReentrantLock()} itself (docs/DESIGN.md,
 * Instrumentation); the cap keeps that bounded for applications that churn millions of locks. Locks over the cap still
 * appear in reports, from the JVM's own data, just without a creation site.
 */
public final class TrackingBudget {

    /** No cap: every lock is tracked. */
    public static final TrackingBudget UNLIMITED = new TrackingBudget(0);

    private final long nanosPerToken;
    private final long burstNanos;
    private final AtomicLong nextFree;
    private final LongAdder refused = new LongAdder();

    /** @param perSecond locks tracked per second after a burst of ten times as many; 0 for no cap */
    public TrackingBudget(int perSecond) {
        this.nanosPerToken = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
        this.burstNanos = nanosPerToken * perSecond * 10L;
        this.nextFree = new AtomicLong(System.nanoTime() - burstNanos);
    }

    /** True if one more lock may be tracked now. */
    public boolean tryTake() {
        if (nanosPerToken == 0) {
            return true;
        }
        long now = System.nanoTime();
        for (int attempt = 0; attempt < 4; attempt++) {
            long current = nextFree.get();
            long next = Math.max(current, now - burstNanos) + nanosPerToken;
            if (next > now) {
                break;
            }
            if (nextFree.compareAndSet(current, next)) {
                return true;
            }
        }
        refused.increment();
        return false;
    }

    /** Locks not tracked because the budget was spent. */
    public long refused() {
        return refused.sum();
    }
}
