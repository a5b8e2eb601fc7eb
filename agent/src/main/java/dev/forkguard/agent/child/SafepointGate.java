package dev.forkguard.agent.child;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the agent's own safepoints (its thread dumps) and clones apart.
 *
 * <p>Why: a thread dump is a safepoint. A thread cloned while another thread's dump holds the JVM at a
 * safepoint gives a child whose JVM is still "at a safepoint" and has no VM Thread to end it: the
 * child's forking thread blocks in {@code SafepointSynchronize::block} on its first return from native
 * code into Java (seen with four threads forking at once: 4 children of 20 hung, and none with the
 * dump moved out of the fork). So a dump waits until no thread is between the end of its prepare
 * handler and its parent handler, and such a thread does not start its clone while a dump is on.
 * Dumps go first: a clone that finds one waits for it to end.
 *
 * <p>Only the agent's own dumps are kept out; a safepoint the JVM or the application starts at the
 * moment of a fork can still leave such a child, with or without the agent.
 */
public final class SafepointGate {

    /** Threads between the end of their prepare handler and their parent handler. */
    private static final AtomicInteger CLONING = new AtomicInteger();
    /** Agent thread dumps under way or waiting for clones to end. */
    private static final AtomicInteger DUMPING = new AtomicInteger();

    private SafepointGate() {}

    /** Before each thread dump the agent makes: returns once no clone is under way. */
    public static void dumpStarting() {
        DUMPING.incrementAndGet();
        while (CLONING.get() != 0) {
            Thread.yield();
        }
    }

    /** After the dump {@link #dumpStarting} let through. */
    public static void dumpDone() {
        DUMPING.decrementAndGet();
    }

    /** Last thing in a prepare handler: returns once no agent dump is under way, then counts this clone. */
    static void cloneStarting() {
        while (true) {
            CLONING.incrementAndGet();
            if (DUMPING.get() == 0) {
                return;
            }
            CLONING.decrementAndGet();
            while (DUMPING.get() != 0) {
                Thread.yield();
            }
        }
    }

    /** In the parent handler: the clone {@link #cloneStarting} counted is done. */
    static void cloneDone() {
        CLONING.decrementAndGet();
    }
}
