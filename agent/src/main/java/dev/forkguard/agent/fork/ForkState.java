package dev.forkguard.agent.fork;

import dev.forkguard.bridge.ForkguardBridge;
import dev.forkguard.probe.Libc;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this process is a child forked from the JVM the agent started in.
 *
 * <p>No Java code runs in the child at fork time (see docs/DESIGN.md, No child handler): a child handler could itself hang,
 * and would put every benign fork-then-exec at risk. Instead the prepare handler marks a fork in
 * flight and the parent handler clears the mark; in the child nobody clears it. While it is set, one
 * direct-mapped {@code getpid()} settles parent against child, and the answer is kept.
 *
 * <p>Child path: everything here must have run in the parent first (see {@link #init}).
 */
public final class ForkState {

    private static final AtomicInteger FORKS_IN_FLIGHT = new AtomicInteger();
    private static volatile int parentPid;
    private static volatile boolean child;

    private ForkState() {}

    /** Records this JVM's pid and runs the child-detection path once, so no class loads in a child. */
    public static void init(int pid) {
        parentPid = pid;
        FORKS_IN_FLIGHT.incrementAndGet();
        try {
            inChild();
        } finally {
            FORKS_IN_FLIGHT.decrementAndGet();
        }
    }

    static void forkStarting() {
        FORKS_IN_FLIGHT.incrementAndGet();
        ForkguardBridge.forkInFlight = true;
    }

    static void forkDone() {
        if (FORKS_IN_FLIGHT.decrementAndGet() == 0) {
            ForkguardBridge.forkInFlight = false;
        }
    }

    /** True in a forked child of this JVM: cheap when no fork is in flight (one volatile read). */
    public static boolean inChild() {
        if (child) {
            return true;
        }
        if (FORKS_IN_FLIGHT.get() == 0) {
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
