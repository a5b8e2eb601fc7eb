package dev.forkguard.bridge;

/**
 * The one class instrumented JDK code calls. It is defined in the boot loader, does nothing
 * until the agent installs its hooks, never lets a failure reach the caller, and stops re-entry:
 * a hook that itself creates a lock or starts a thread is not reported to itself.
 */
public final class ForkguardBridge {

    private static final ForkguardHooks NO_HOOKS = new NoHooks();

    private static volatile ForkguardHooks hooks = NO_HOOKS;

    /** Hook calls that failed inside the agent, swallowed so the application never saw them. */
    private static final java.util.concurrent.atomic.AtomicLong FAILURES = new java.util.concurrent.atomic.AtomicLong();
    private static volatile Throwable firstFailure;

    /**
     * Forks between their prepare and parent handlers. A count, not a flag: with two threads forking
     * at once, one's parent handler must not clear what the other's prepare handler set. In a forked
     * child nobody decrements it, so it stays above zero there.
     */
    private static final java.util.concurrent.atomic.AtomicInteger FORKS_IN_FLIGHT =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Marks the threads currently inside a hook; a plain subclass, because a lambda here would spin a
     * class. The forking thread's value is made in its prepare handler ({@link #forkStarting}): made on
     * first use in a child, it would allocate there.
     */
    private static final ThreadLocal<boolean[]> IN_HOOK = new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    /**
     * How deep each thread is inside {@code ProcessImpl.start}, the JDK's own fork-then-exec: the
     * prepare handler reads it instead of walking the stack (docs/DESIGN.md, The fork window).
     */
    private static final ThreadLocal<int[]> JDK_LAUNCH = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    /**
     * The C fork handlers' copy of that depth, when the agent loaded them: then platform threads keep it
     * there only (their launches' forks never enter Java), virtual threads still here. Set once, before
     * the launch advice is installed.
     */
    private static volatile JdkLaunchDepth nativeLaunchDepth;

    private ForkguardBridge() {}

    /** From now on the launch depth is kept by {@code depth} (the agent's C fork handlers). */
    public static void keepJdkLaunchDepthIn(JdkLaunchDepth depth) {
        nativeLaunchDepth = depth;
    }

    /** Entering {@code ProcessImpl.start}. Advice: never throws. */
    public static void jdkLaunchStarting() {
        JdkLaunchDepth kept = nativeLaunchDepth;
        if (kept != null && kept.entered()) {
            return;
        }
        JDK_LAUNCH.get()[0]++;
    }

    /** Leaving {@code ProcessImpl.start}, normally or not. */
    public static void jdkLaunchEnded() {
        JdkLaunchDepth kept = nativeLaunchDepth;
        if (kept != null && kept.left()) {
            return;
        }
        int[] depth = JDK_LAUNCH.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
    }

    /** True when the calling thread is inside {@code ProcessImpl.start}, as the Java fork handlers count it. */
    public static boolean inJdkLaunch() {
        return JDK_LAUNCH.get()[0] > 0;
    }

    /**
     * True while a fork is in flight, and always in a forked child. Lock-acquire advice reads only
     * this in the common case: one volatile load, a plain load on x86.
     */
    public static boolean forkInFlight() {
        return FORKS_IN_FLIGHT.get() != 0;
    }

    /**
     * The prepare handler starts a fork: counts it and makes the calling (forking) thread's recursion
     * guard now, in the parent, the only thread the child will have.
     */
    public static void forkStarting() {
        IN_HOOK.get();
        FORKS_IN_FLIGHT.incrementAndGet();
    }

    /** The parent handler ends the fork {@link #forkStarting} counted. */
    public static void forkDone() {
        FORKS_IN_FLIGHT.decrementAndGet();
    }

    /** Installs the agent's hooks; the first caller wins, so a second agent copy cannot take over. */
    public static synchronized boolean install(ForkguardHooks agentHooks) {
        if (hooks != NO_HOOKS) {
            return false;
        }
        hooks = agentHooks;
        return true;
    }

    public static void threadStarting(Thread thread) {
        ForkguardHooks h = enter();
        if (h == null) {
            return;
        }
        try {
            h.threadStarting(thread);
        } catch (Throwable t) {
            failed(t);
            // The application's thread must start whatever the agent does.
        } finally {
            leave();
        }
    }

    public static void lockCreated(Object lock, Object synchronizer) {
        ForkguardHooks h = enter();
        if (h == null) {
            return;
        }
        try {
            h.lockCreated(lock, synchronizer);
        } catch (Throwable t) {
            failed(t);
            // Never turn a constructor into a failure.
        } finally {
            leave();
        }
    }

    public static void executorCreated(Object executor) {
        ForkguardHooks h = enter();
        if (h == null) {
            return;
        }
        try {
            h.executorCreated(executor);
        } catch (Throwable t) {
            failed(t);
            // Never turn a constructor into a failure.
        } finally {
            leave();
        }
    }

    public static void workerCreated(Object executor, Thread worker) {
        ForkguardHooks h = enter();
        if (h == null) {
            return;
        }
        try {
            h.workerCreated(executor, worker);
        } catch (Throwable t) {
            failed(t);
            // Never turn a constructor into a failure.
        } finally {
            leave();
        }
    }

    public static void lockAcquiring(Object lock, Object synchronizer, boolean timed) {
        ForkguardHooks h = enter();
        if (h == null) {
            return;
        }
        try {
            h.lockAcquiring(lock, synchronizer, timed);
        } catch (OrphanedLockError e) {
            throw e; // childPolicy=throw: the one failure meant for the application
        } catch (Throwable t) {
            failed(t);
            // Anything else: the lock is acquired as if the agent were not there.
        } finally {
            leave();
        }
    }

    /** Counts a swallowed failure; keeps the first (already allocated) for the agent to log once. */
    private static void failed(Throwable t) {
        if (FAILURES.getAndIncrement() == 0) {
            firstFailure = t;
        }
    }

    /** How many hook calls failed inside the agent so far. */
    public static long hookFailures() {
        return FAILURES.get();
    }

    /** The first hook failure, or null. */
    public static Throwable firstHookFailure() {
        return firstFailure;
    }

    /** The hooks to call, or null when none are installed or this thread is already inside one. */
    private static ForkguardHooks enter() {
        ForkguardHooks h = hooks;
        if (h == NO_HOOKS) {
            return null;
        }
        boolean[] guard = IN_HOOK.get();
        if (guard[0]) {
            return null;
        }
        guard[0] = true;
        return h;
    }

    private static void leave() {
        IN_HOOK.get()[0] = false;
    }

    private static final class NoHooks implements ForkguardHooks {
        @Override
        public void threadStarting(Thread thread) {}

        @Override
        public void lockCreated(Object lock, Object synchronizer) {}

        @Override
        public void executorCreated(Object executor) {}

        @Override
        public void workerCreated(Object executor, Thread worker) {}

        @Override
        public void lockAcquiring(Object lock, Object synchronizer, boolean timed) {}
    }
}
