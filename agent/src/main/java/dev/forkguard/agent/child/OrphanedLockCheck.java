package dev.forkguard.agent.child;

import dev.forkguard.agent.registry.SynchronizerOwners;
import dev.forkguard.bridge.OrphanedLockError;
import dev.forkguard.probe.Libc;
import java.util.Arrays;

/**
 * In a forked child, recognises an acquisition that would block for ever (the lock's owner is a
 * thread that existed at fork time and does not exist in the child), says so on file descriptor 2,
 * and applies the {@link ChildPolicy}.
 *
 * <p>Child path (docs/DESIGN.md, Child-safe code): everything here has run once in the parent ({@link #warmUp}); it
 * takes no lock another thread could hold (no registry look-up, no {@code System.err}, no logging),
 * loads no class, spins no lambda and allocates nothing ({@link ChildMessage}). What needs formatting
 * or allocating was done in the prepare handler, in the parent: {@link #prepare} keeps, for each lock
 * held by a thread about to vanish, its text and the error to throw.
 */
public final class OrphanedLockCheck {

    private static final byte[] PREFIX = ChildMessage.ascii("forkguard: child pid ");
    private static final byte[] THREAD = ChildMessage.ascii(": thread \"");
    private static final byte[] BLOCKS_ON = ChildMessage.ascii("\" blocks on ");
    private static final byte[] UNTRACKED = ChildMessage.ascii(" (creation site not tracked), held at fork time by thread \"");
    private static final byte[] NOT_HERE = ChildMessage.ascii("\" (not in this process)");
    private static final byte[] ON_EXIT = ChildMessage.ascii("; childPolicy=exit: exiting with code ");
    private static final byte[] ON_THROW = ChildMessage.ascii(
            "; childPolicy=throw: throwing OrphanedLockError instead of blocking for ever");
    private static final byte[] ON_TIMED = ChildMessage.ascii("; childPolicy=report: this timed acquisition will time out");
    private static final byte[] ON_REPORT = ChildMessage.ascii("; childPolicy=report: this acquisition blocks for ever");
    /** For a lock the prepare handler did not know (untracked): made in the parent, thrown as is. */
    private static final OrphanedLockError UNTRACKED_ERROR = new OrphanedLockError(
            "a lock held at fork time by a thread that does not exist in this forked child", true);

    private static volatile ChildPolicy policy = ChildPolicy.REPORT;
    private static volatile int exitCode = 70;

    private OrphanedLockCheck() {}

    public static void configure(ChildPolicy childPolicy, int childExitCode) {
        policy = childPolicy;
        exitCode = childExitCode;
    }

    /**
     * Called in the prepare handler: remembers which threads exist at fork time and, for each lock a
     * thread other than the forking one holds, the text the child will print and the error it throws.
     * Kept for this fork's child alone ({@link ForkState#keepForChild}): a status query or another
     * thread's fork, at the same time, keeps its own.
     *
     * @param liveIds ids of every Java thread at fork time, in any order (sorted here)
     * @param synchronizers held synchronizers, parallel to {@code texts}
     */
    public static void prepare(long[] liveIds, Object[] synchronizers, String[] texts) {
        long[] sorted = liveIds.clone();
        Arrays.sort(sorted);
        byte[][] bytes = new byte[texts.length][];
        OrphanedLockError[] errors = new OrphanedLockError[texts.length];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = ChildMessage.ascii(texts[i]);
            errors[i] = new OrphanedLockError("forked child would block for ever on " + texts[i], true);
        }
        ForkState.keepForChild(new ForkFacts(sorted, synchronizers, bytes, errors));
    }

    /** Called by lock-acquire advice while a fork is in flight or in a child. */
    public static void check(Object lock, Object synchronizer, boolean timed) {
        if (!ForkState.inChild()) {
            return;
        }
        Thread owner = SynchronizerOwners.ownerOf(synchronizer);
        Thread self = Thread.currentThread();
        ForkFacts f = factsOfThisChild();
        int known = f.indexOf(synchronizer);
        if (owner != null) {
            if (owner == self || Arrays.binarySearch(f.liveIds, owner.getId()) < 0
                    && !VanishedVirtualThreads.vanished(owner)) {
                return; // ours, or owned by a thread started in the child: it can be released
            }
        } else if (known < 0 || !SynchronizerOwners.exhausted(synchronizer)) {
            return; // free, or (Semaphore, StampedLock) not taken at fork time
        }
        ChildPolicy p = policy;
        synchronized (ChildMessage.lock()) {
            ChildMessage.start();
            write(lock, owner, self, known < 0 ? null : f.texts[known], p, timed);
            ChildMessage.writeToStderr();
        }
        if (p == ChildPolicy.EXIT) {
            Libc._exit(exitCode);
        } else if (p == ChildPolicy.THROW) {
            throw known < 0 ? UNTRACKED_ERROR : f.errors[known];
        }
    }

    /** What the prepare handler of the fork that made this child kept; none when it is not known. */
    private static ForkFacts factsOfThisChild() {
        return asFacts(ForkState.childFacts());
    }

    /**
     * Warmed with a non-null argument: the interpreter resolves the class of an {@code instanceof}
     * or a cast only for a non-null object, and that must not happen first in a child.
     */
    private static ForkFacts asFacts(Object kept) {
        return kept instanceof ForkFacts ? (ForkFacts) kept : ForkFacts.NONE;
    }

    private static void write(Object lock, Thread owner, Thread self, byte[] text, ChildPolicy p, boolean timed) {
        ChildMessage.bytes(PREFIX);
        ChildMessage.decimal(Libc.getpid());
        ChildMessage.bytes(THREAD);
        ChildMessage.chars(self.getName());
        ChildMessage.bytes(BLOCKS_ON);
        if (text != null) {
            ChildMessage.bytes(text);
        } else {
            ChildMessage.chars(lock.getClass().getName());
            ChildMessage.chars("@");
            ChildMessage.hex(System.identityHashCode(lock));
            ChildMessage.bytes(UNTRACKED);
            ChildMessage.chars(owner.getName());
            ChildMessage.bytes(NOT_HERE);
        }
        if (p == ChildPolicy.EXIT) {
            ChildMessage.bytes(ON_EXIT);
            ChildMessage.decimal(exitCode);
        } else if (p == ChildPolicy.THROW) {
            ChildMessage.bytes(ON_THROW);
        } else {
            ChildMessage.bytes(timed ? ON_TIMED : ON_REPORT);
        }
    }

    /**
     * Runs every step of the child path once, in the parent, writing nothing: so that a child never
     * loads a class, links a call site or initialises anything for the first time.
     */
    public static void warmUp() {
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        Thread self = Thread.currentThread();
        ForkFacts f = new ForkFacts(new long[] {self.getId()}, new Object[] {lock}, new byte[][] {{'x'}},
                new OrphanedLockError[] {UNTRACKED_ERROR});
        Arrays.binarySearch(f.liveIds, self.getId());
        f.indexOf(new Object());
        factsOfThisChild();
        asFacts(f);
        SynchronizerOwners.ownerOf(lock);
        VanishedVirtualThreads.vanished(self);
        // Neither left taken: a live, taken lock of the agent's own would show up in fork reports.
        SynchronizerOwners.exhausted(new java.util.concurrent.Semaphore(1));
        SynchronizerOwners.exhausted(new java.util.concurrent.locks.StampedLock());
        synchronized (ChildMessage.lock()) {
            for (ChildPolicy p : ChildPolicy.values()) {
                ChildMessage.start();
                write(lock, self, self, f.texts[0], p, false);
                ChildMessage.start();
                write(lock, self, self, null, p, true);
            }
            ChildMessage.start();
        }
        ChildMessage.warmUp();
    }

    /** What the prepare handler left for the child. */
    private static final class ForkFacts {
        static final ForkFacts NONE = new ForkFacts(new long[0], new Object[0], new byte[0][],
                new OrphanedLockError[0]);

        final long[] liveIds;
        final Object[] synchronizers;
        final byte[][] texts;
        final OrphanedLockError[] errors;

        ForkFacts(long[] liveIds, Object[] synchronizers, byte[][] texts, OrphanedLockError[] errors) {
            this.liveIds = liveIds;
            this.synchronizers = synchronizers;
            this.texts = texts;
            this.errors = errors;
        }

        int indexOf(Object synchronizer) {
            for (int i = 0; i < synchronizers.length; i++) {
                if (synchronizers[i] == synchronizer) {
                    return i;
                }
            }
            return -1;
        }
    }
}
