package dev.forkguard.agent.child;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the agent's own Java work (snapshots, report building and rendering, watchdog rounds,
 * warm-ups) and clones apart.
 *
 * <p>Why (docs/DESIGN.md, Agent work and clones kept apart): cold Java code enters the JIT, which
 * takes JVM-internal mutexes ({@code MethodCompileQueue_lock}, {@code MethodData_lock}) and wakes
 * compiler threads. A clone made while another thread holds one, or while a compiler thread is
 * waking, gives a child in which the first method to cross a compile threshold (the application's,
 * often) blocks in that mutex for ever. So agent work does not start while a clone is under way, and
 * a clone waits until running agent work is done.
 *
 * <p>The wait is bounded: agent work that stalls (a report writer blocked on a full pipe) must never
 * stall the application's forks. After one wait timed out, clones stop waiting until no agent work
 * runs again, so a stall costs one fork the bound, not every fork.
 */
public final class CloneGate {

    /** Longer than any report the agent builds on a loaded machine; only a stall reaches it. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    /** Clones between the end of their snapshot and their parent handler. */
    private static final AtomicInteger CLONING = new AtomicInteger();
    /** Agent work under way. */
    private static final AtomicInteger WORKING = new AtomicInteger();
    /** Set when a clone stopped waiting for work; cleared when no work runs. */
    private static volatile boolean stalled;
    private static final AtomicInteger TIMED_OUT = new AtomicInteger();

    private CloneGate() {}

    /** Before agent work that may run beside a fork: returns once no clone is under way. */
    public static void workStarting() {
        while (true) {
            WORKING.incrementAndGet();
            if (CLONING.get() == 0) {
                return;
            }
            WORKING.decrementAndGet();
            while (CLONING.get() != 0) {
                Thread.yield();
            }
        }
    }

    /** Runs {@code step} as agent work. */
    public static void run(Runnable step) {
        workStarting();
        try {
            step.run();
        } finally {
            workDone();
        }
    }

    /** After the work {@link #workStarting} let through. */
    public static void workDone() {
        if (WORKING.decrementAndGet() == 0) {
            stalled = false;
        }
    }

    /**
     * Last thing before a clone: counts it (so no new agent work starts), then waits, bounded, until
     * agent work under way is done. Clones first: work waits for them, not the other way round.
     */
    static void cloneStarting() {
        CLONING.incrementAndGet();
        if (stalled) {
            return;
        }
        long start = 0;
        while (WORKING.get() != 0) {
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            } else if (now - start > MAX_WAIT_NANOS) {
                stalled = true;
                TIMED_OUT.incrementAndGet();
                return;
            }
            Thread.yield();
        }
    }

    /** In the parent handler: the clone {@link #cloneStarting} counted is done. */
    static void cloneDone() {
        CLONING.decrementAndGet();
    }

    /** How many clones stopped waiting for stalled agent work (for tests and reports). */
    public static int timedOut() {
        return TIMED_OUT.get();
    }
}
