package dev.forkguard.agent.registry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many entries the agent's tables may hold together (option {@code maxTracked}): locks, threads
 * and executors share it, so the agent's heap has one bound whatever the application makes.
 */
public final class TrackedCapacity {

    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    public TrackedCapacity(int max) {
        this.max = max;
    }

    /** Takes one entry's room; false when all of it is in use. */
    boolean tryTake() {
        for (;;) {
            int n = used.get();
            if (n >= max) {
                return false;
            }
            if (used.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back the room of an entry whose object was collected. */
    void release() {
        used.decrementAndGet();
    }

    public int max() {
        return max;
    }

    public int used() {
        return used.get();
    }
}
