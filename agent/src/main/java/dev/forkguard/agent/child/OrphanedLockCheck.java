package dev.forkguard.agent.child;

import dev.forkguard.agent.fork.ForkState;
import dev.forkguard.agent.registry.SynchronizerOwners;
import dev.forkguard.bridge.OrphanedLockError;
import dev.forkguard.probe.Libc;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * In a forked child, recognises an acquisition that would block for ever (the lock's owner is a
 * thread that existed at fork time and does not exist in the child), says so on file descriptor 2,
 * and applies the {@link ChildPolicy}.
 *
 * <p>Child path (DESIGN fact 9): everything here has run once in the parent ({@link #warmUp}); it
 * takes no lock another thread could hold (no registry look-up, no {@code System.err}, no logging),
 * loads no class and spins no lambda. What needs formatting was formatted in the prepare handler,
 * in the parent: {@link #prepare} keeps, for each lock held by a thread about to vanish, its text.
 */
public final class OrphanedLockCheck {

    private static volatile ChildPolicy policy = ChildPolicy.REPORT;
    private static volatile int exitCode = 70;
    private static volatile ForkFacts facts = ForkFacts.NONE;

    private OrphanedLockCheck() {}

    public static void configure(ChildPolicy childPolicy, int childExitCode) {
        policy = childPolicy;
        exitCode = childExitCode;
    }

    /**
     * Called in the prepare handler: remembers which threads exist at fork time and, for each lock a
     * thread other than the forking one holds, the text the child will print.
     *
     * @param liveIds ids of every Java thread at fork time, in any order (sorted here)
     * @param synchronizers held synchronizers, parallel to {@code texts}
     */
    public static void prepare(long[] liveIds, Object[] synchronizers, String[] texts) {
        long[] sorted = liveIds.clone();
        Arrays.sort(sorted);
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        facts = new ForkFacts(sorted, synchronizers, bytes);
    }

    /** Called by lock-acquire advice while a fork is in flight or in a child. */
    public static void check(Object lock, Object synchronizer, boolean timed) {
        if (!ForkState.inChild()) {
            return;
        }
        Thread owner = SynchronizerOwners.ownerOf(synchronizer);
        Thread self = Thread.currentThread();
        ForkFacts f = facts;
        if (owner == null || owner == self || Arrays.binarySearch(f.liveIds, owner.getId()) < 0) {
            return; // free, ours, or owned by a thread started in the child: it can be released
        }
        ChildPolicy p = policy;
        String message = message(lock, synchronizer, owner, self, f, p, timed);
        byte[] out = message.getBytes(StandardCharsets.UTF_8);
        Libc.write(2, out, out.length);
        apply(p, message);
    }

    private static void apply(ChildPolicy p, String message) {
        if (p == ChildPolicy.EXIT) {
            Libc._exit(exitCode);
        } else if (p == ChildPolicy.THROW) {
            throw new OrphanedLockError(message.trim());
        }
    }

    private static String message(Object lock, Object synchronizer, Thread owner, Thread self, ForkFacts f,
            ChildPolicy p, boolean timed) {
        StringBuilder b = new StringBuilder(256);
        b.append("forkguard: child pid ").append(Libc.getpid()).append(": thread \"").append(self.getName())
                .append("\" blocks on ");
        byte[] text = f.textOf(synchronizer);
        if (text != null) {
            b.append(new String(text, StandardCharsets.UTF_8));
        } else {
            b.append(lock.getClass().getName()).append('@').append(Integer.toHexString(System.identityHashCode(lock)))
                    .append(" (creation site not tracked), held at fork time by thread \"").append(owner.getName())
                    .append("\" (not in this process)");
        }
        if (p == ChildPolicy.EXIT) {
            b.append("; childPolicy=exit: exiting with code ").append(exitCode);
        } else if (p == ChildPolicy.THROW) {
            b.append("; childPolicy=throw: throwing OrphanedLockError instead of blocking for ever");
        } else if (timed) {
            b.append("; childPolicy=report: this timed acquisition will time out");
        } else {
            b.append("; childPolicy=report: this acquisition blocks for ever");
        }
        return b.append('\n').toString();
    }

    /**
     * Runs every step of the child path once, in the parent, writing nothing: so that a child never
     * loads a class, links a call site or initialises anything for the first time.
     */
    public static void warmUp() {
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        Thread self = Thread.currentThread();
        ForkFacts f = new ForkFacts(new long[] {self.getId()}, new Object[] {lock}, new byte[][] {{'x'}});
        Arrays.binarySearch(f.liveIds, self.getId());
        SynchronizerOwners.ownerOf(lock);
        for (ChildPolicy p : ChildPolicy.values()) {
            byte[] out = message(lock, lock, self, self, f, p, false).getBytes(StandardCharsets.UTF_8);
            message(new Object(), new Object(), self, self, f, p, true);
            Libc.write(2, out, 0);
        }
        new OrphanedLockError("warm-up").getStackTrace();
    }

    /** What the prepare handler left for the child. */
    private static final class ForkFacts {
        static final ForkFacts NONE = new ForkFacts(new long[0], new Object[0], new byte[0][]);

        final long[] liveIds;
        final Object[] synchronizers;
        final byte[][] texts;

        ForkFacts(long[] liveIds, Object[] synchronizers, byte[][] texts) {
            this.liveIds = liveIds;
            this.synchronizers = synchronizers;
            this.texts = texts;
        }

        byte[] textOf(Object synchronizer) {
            for (int i = 0; i < synchronizers.length; i++) {
                if (synchronizers[i] == synchronizer) {
                    return texts[i];
                }
            }
            return null;
        }
    }
}
