package dev.forkguard.agent.child;

import dev.forkguard.bridge.ForkguardBridge;
import dev.forkguard.probe.Libc;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Whether this process is a child forked from the JVM the agent started in, and what the fork that
 * made it left for it.
 *
 * <p>No Java code runs in the child at fork time (see docs/DESIGN.md, No child handler): a child handler could itself hang,
 * and would put every benign fork-then-exec at risk. Instead the prepare handler counts a fork in
 * flight (in the bridge) and the parent handler uncounts it; in the child nobody does. While the
 * count is above zero, one direct-mapped {@code getpid()} settles parent against child, and the
 * answer is kept.
 *
 * <p>Each forking thread holds a slot from its prepare handler to its parent handler, with what the
 * child-side check needs ({@link #keepForChild}). Two threads may fork at once: a child must find
 * its own fork's facts, not the other's, so it looks up the slot of its forking thread, the one
 * thread the child starts with.
 *
 * <p>Child path: everything here must have run in the parent first (see {@link #init}).
 */
public final class ForkState {

    /** Concurrent forks with a slot; a fork beyond them leaves its child no facts (it checks nothing). */
    static final int SLOTS = 64;

    /** Each slot's forking thread, claimed in the prepare handler, released in the parent handler. */
    private static final AtomicReferenceArray<Thread> FORKING = new AtomicReferenceArray<>(SLOTS);
    /**
     * Each slot's forking OS thread: the parent handler finds its slot by it. A thread the JVM does not
     * know (a Python or C thread) is attached by JNA for each callback and detached after, so its
     * parent handler runs under another {@code Thread} object than its prepare handler.
     */
    private static final int[] TIDS = new int[SLOTS];
    /** Each slot's facts; written only by the slot's forking thread. */
    private static final Object[] FACTS = new Object[SLOTS];
    /** Whether each slot's thread has passed {@link #readyToClone}; written only by that thread. */
    private static final boolean[] CLONING = new boolean[SLOTS];

    private static volatile int parentPid;
    private static volatile boolean child;
    /** In a child: the facts of the fork that made it, once a thread found them. */
    private static volatile Object childFacts;

    private ForkState() {}

    /** Records this JVM's pid and runs the child paths once, so no class loads or links in a child. */
    public static void init(int pid) {
        parentPid = pid;
        // Resolve, here, the field writes the child makes: first done in a child, they could block.
        child = false;
        childFacts = null;
        forkStarting();
        try {
            keepForChild(null);
            inChild();
            factsOf(Thread.currentThread());
            onlySlotHeld();
        } finally {
            forkDone();
        }
    }

    /**
     * Prepare handler, in the forking thread: counts the fork and claims a slot. Nothing in a child
     * forking again: its count must never drop to zero there, and it keeps its own fork's slot.
     */
    public static void forkStarting() {
        if (inChild()) {
            return;
        }
        ForkguardBridge.forkStarting();
        Thread self = Thread.currentThread();
        for (int i = 0; i < SLOTS; i++) {
            if (FORKING.get(i) == null && FORKING.compareAndSet(i, null, self)) {
                TIDS[i] = Libc.gettid();
                FACTS[i] = null;
                CLONING[i] = false;
                // The snapshot is agent work: another thread's clone must not run beside it (CloneGate).
                CloneGate.workStarting();
                return;
            }
        }
    }

    /** Parent handler, in the forking thread: releases its slot and uncounts the fork; nothing in a child. */
    public static void forkDone() {
        if (inChild()) {
            return;
        }
        int slot = slotOfTid(Libc.gettid());
        if (slot >= 0) {
            TIDS[slot] = 0;
            FACTS[slot] = null;
            if (CLONING[slot]) {
                CLONING[slot] = false;
                SafepointGate.cloneDone();
                CloneGate.cloneDone();
            } else {
                CloneGate.workDone(); // the snapshot failed before its clone was counted
            }
            FORKING.set(slot, null);
        }
        ForkguardBridge.forkDone();
    }

    /**
     * The end of the snapshot in a prepare handler: waits while other agent work ({@link CloneGate}) or
     * an agent thread dump ({@link SafepointGate}) is under way; the clone follows. Outside a prepare handler it does nothing.
     */
    public static void readyToClone() {
        int slot = slotOf(Thread.currentThread());
        if (slot >= 0 && !CLONING[slot]) {
            CloneGate.workDone();
            CloneGate.cloneStarting();
            SafepointGate.cloneStarting();
            CLONING[slot] = true;
        }
    }

    /**
     * Keeps {@code facts} for the child of the fork the calling thread is making. Outside a prepare
     * handler (a status query, the warm-up) the thread holds no slot and nothing is kept.
     */
    public static void keepForChild(Object facts) {
        int slot = slotOf(Thread.currentThread());
        if (slot >= 0) {
            FACTS[slot] = facts;
        }
    }

    /**
     * In a child: what the prepare handler of the fork that made it kept, or null when not known.
     * The forking thread finds its own slot; another thread (started in the child) takes what the
     * forking thread found, or the one slot held if only one fork was in flight.
     */
    public static Object childFacts() {
        Object f = childFacts;
        if (f == null) {
            f = factsOf(Thread.currentThread());
            if (f != null && child) {
                // Only in a child: kept in the parent, it would pass to every later fork's child.
                childFacts = f;
            }
        }
        return f;
    }

    static Object factsOf(Thread thread) {
        int slot = slotOf(thread);
        if (slot >= 0) {
            return FACTS[slot];
        }
        int held = onlySlotHeld();
        return held < 0 ? null : FACTS[held];
    }

    /** The one slot held, or -1 when none or several are. */
    private static int onlySlotHeld() {
        int held = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (FORKING.get(i) != null) {
                if (held >= 0) {
                    return -1;
                }
                held = i;
            }
        }
        return held;
    }

    private static int slotOfTid(int tid) {
        for (int i = 0; i < SLOTS; i++) {
            if (TIDS[i] == tid && FORKING.get(i) != null) {
                return i;
            }
        }
        return -1;
    }

    private static int slotOf(Thread thread) {
        for (int i = 0; i < SLOTS; i++) {
            if (FORKING.get(i) == thread) {
                return i;
            }
        }
        return -1;
    }

    /** True in a forked child of this JVM: cheap when no fork is in flight (one volatile read). */
    public static boolean inChild() {
        if (child) {
            return true;
        }
        if (!ForkguardBridge.forkInFlight()) {
            return false;
        }
        if (Libc.getpid() != parentPid) {
            child = true;
            return true;
        }
        return false;
    }

    /** The pid of the JVM the agent started in. */
    public static int parentPid() {
        return parentPid;
    }
}
