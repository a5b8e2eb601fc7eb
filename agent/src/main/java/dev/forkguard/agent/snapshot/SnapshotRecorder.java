package dev.forkguard.agent.snapshot;

import dev.forkguard.agent.registry.VirtualThreads;
import dev.forkguard.agent.child.OrphanedLockCheck;
import dev.forkguard.agent.child.VanishedVirtualThreads;
import dev.forkguard.agent.child.ForkState;
import dev.forkguard.agent.child.SafepointGate;
import dev.forkguard.agent.registry.CreationSite;
import dev.forkguard.agent.registry.TrackedObject;
import dev.forkguard.agent.registry.LockRegistry;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.agent.registry.ThreadRegistry;
import dev.forkguard.bridge.HostForkContext;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.ProbeUnavailableException;
import dev.forkguard.probe.stack.CallerStack;
import dev.forkguard.probe.stack.NativeCallerCapture;
import dev.forkguard.probe.proc.ChildrenListing;
import dev.forkguard.probe.proc.TaskListing;
import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes a {@link ForkSnapshot} in two parts. Inside the fork window, in the forking thread while
 * every other thread still runs, what must be exact at fork time: its time is added to the fork
 * pause. After the fork, on the reporter thread, the rest. Chosen by what each costs (the figures are
 * in docs/DESIGN.md, The fork window):
 * <ul>
 *   <li>stacks and held monitors ({@code dumpAllThreads(true, false, depth)}), one safepoint: inside
 *       the window by default. The first thread dump after an earlier fork is about ten times slower
 *       (a full GC in between does not help, a thread dump does). So after each fork the reporter
 *       makes one thread dump, which the next fork's then does not pay; {@code stacks=after} moves the
 *       fork's own dump after the fork, and the report says how late. Not
 *       {@code lockedSynchronizers = true}: that walks the whole heap, except with {@code heapWalk}
 *       (after an attach, for locks made before it);
 *   <li>owned {@code java.util.concurrent} locks: the owner field of each tracked lock, in the window;
 *   <li>which Java threads are alive (with {@code stacks=after}): the thread groups' list, in the
 *       window, no safepoint;
 *   <li>OS threads and the forking thread's children: one raw directory or file read each in the
 *       window ({@link TaskListing}, {@link ChildrenListing}), parsed and named after the fork: the
 *       Java file API, cold code in a fresh fork, cost milliseconds at 1,000 threads;
 *   <li>the threads' origins, from the thread registry: after the fork;
 *   <li>the native callers of {@code fork()}: a raw copy of the stack above its frame, resolved
 *       into frames after the fork ({@link NativeCallerCapture}).
 * </ul>
 */
public final class SnapshotRecorder {

    private static final String WORKER_LOCK = "java.util.concurrent.ThreadPoolExecutor$Worker";

    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private final ThreadRegistry threadRegistry;
    private final LockRegistry lockRegistry;
    private final int stackDepth;
    private final boolean heapWalk;
    private final boolean stacksAtFork;
    private final Set<Long> agentThreadIds;
    private final boolean listAllVirtual;
    /** Null where native frames cannot be read (not x86-64): reports then carry none. */
    private final NativeCallerCapture nativeCallers;

    /**
     * @param heapWalk find owned locks with the JVM's heap walk rather than from the lock registry
     * @param stacksAtFork take the thread dump inside the fork (always with {@code heapWalk}) rather
     *        than after it
     */
    public SnapshotRecorder(ThreadRegistry threadRegistry, LockRegistry lockRegistry, int stackDepth,
            boolean heapWalk, boolean stacksAtFork, Set<Long> agentThreadIds) {
        this(threadRegistry, lockRegistry, stackDepth, heapWalk, stacksAtFork, agentThreadIds, false);
    }

    /**
     * @param listAllVirtual list virtual threads after every fork on JDK 21+, not only once one was
     *        seen starting (after an attach, virtual threads may predate the agent)
     */
    public SnapshotRecorder(ThreadRegistry threadRegistry, LockRegistry lockRegistry, int stackDepth,
            boolean heapWalk, boolean stacksAtFork, Set<Long> agentThreadIds, boolean listAllVirtual) {
        this.listAllVirtual = listAllVirtual;
        this.threadRegistry = threadRegistry;
        this.lockRegistry = lockRegistry;
        this.stackDepth = stackDepth;
        this.heapWalk = heapWalk;
        this.stacksAtFork = stacksAtFork || heapWalk;
        this.agentThreadIds = agentThreadIds;
        this.nativeCallers = nativeCallerCapture();
    }

    private static NativeCallerCapture nativeCallerCapture() {
        try {
            return NativeCallerCapture.create();
        } catch (ProbeUnavailableException e) {
            return null;
        }
    }

    /**
     * Takes the part of the snapshot that must be exact at fork time, inside the prepare handler:
     * no safepoint (except with {@code heapWalk}, whose owned-lock search is one) and nothing parsed.
     */
    public ForkSnapshot record(long sequence) {
        long start = System.nanoTime();
        int pid = Libc.getpid();
        int tid = Libc.gettid();
        final long forkingThreadId = Thread.currentThread().getId();
        Throwable forkingStack = new Throwable("fork");
        CallerStack callers = nativeCallers == null ? null : nativeCallers.capture();
        if (sequence == 0) {
            // A status query or the warm-up (which runs the capture so the first fork finds it
            // loaded and compiled): not in a fork, so whatever was found is not fork's frame.
            callers = null;
        }
        // The host's (Python's) own view of this fork, handed over by its before-fork hook: taken
        // as it is, parsed after the fork. The warm-up calls it too (so no fork links it first), on
        // a thread that never hands over; a status query is not a fork and keeps nothing.
        String hostContext = HostForkContext.takeForCurrentFork();
        if (sequence == 0) {
            hostContext = null;
        }
        final Map<Long, List<TrackedObject>> owned = new HashMap<>();
        final Map<Long, String> virtualOwners = new HashMap<>();
        final List<Object> childSyncs = new ArrayList<>();
        final List<String> childTexts = new ArrayList<>();
        ThreadInfo[] threads = null;
        long[] liveIds;
        if (stacksAtFork) {
            SafepointGate.dumpStarting();
            try {
                threads = threadBean.dumpAllThreads(true, heapWalk, stackDepth);
            } finally {
                SafepointGate.dumpDone();
            }
            liveIds = idsOf(threads);
        } else {
            liveIds = liveThreadIds();
        }
        if (heapWalk) {
            ownedFromHeapWalk(threads, owned);
        } else {
            lockRegistry.collectHeld(new LockRegistry.HeldVisitor() {
                @Override
                public void held(Object synchronizer, TrackedObject record, Thread owner) {
                    add(owned, owner == null ? NO_OWNER : owner.getId(), record);
                    if (VirtualThreads.isVirtual(owner)) {
                        virtualOwners.put(owner.getId(), owner.getName());
                    }
                    if (owner == null || owner.getId() != forkingThreadId) {
                        childSyncs.add(synchronizer);
                        childTexts.add(childText(record, owner));
                    }
                }
            });
        }
        TaskListing osThreads = TaskListing.now();
        ChildrenListing childrenBefore = ChildrenListing.ofCallingThread(pid, tid);
        OrphanedLockCheck.prepare(liveIds, childSyncs.toArray(), childTexts.toArray(new String[0]));
        ForkSnapshot.VirtualFacts virtual = ForkSnapshot.VirtualFacts.NONE;
        if (VirtualThreads.supported()) {
            long bound = VirtualThreads.idBound();
            VanishedVirtualThreads.prepare(bound);
            Thread self = Thread.currentThread();
            Thread carrier = VirtualThreads.carrierOf(self);
            virtual = new ForkSnapshot.VirtualFacts(bound, VirtualThreads.isVirtual(self),
                    carrier == null ? -1 : carrier.getId(), virtualOwners);
        }
        ForkSnapshot snapshot = new ForkSnapshot(sequence, System.currentTimeMillis(), pid, tid, Thread.currentThread(), stackDepth,
                liveIds, threads,
                forkingStack, callers, osThreads, childrenBefore, owned, Collections.unmodifiableSet(agentThreadIds),
                System.nanoTime() - start, start);
        snapshot.virtualFacts(virtual);
        snapshot.hostContext = hostContext;
        ForkState.readyToClone();
        return snapshot;
    }

    /**
     * Adds, after the fork and off the forking thread, what was not taken inside it: the stacks and
     * held monitors (with {@code stacks=after}; only of threads alive at the fork) and the
     * threads' origins. Returns the same snapshot, now complete; a second call does nothing.
     */
    public ForkSnapshot complete(ForkSnapshot s) {
        completeAll(Collections.singletonList(s));
        return s;
    }

    /**
     * {@link #complete} for several snapshots, with one thread dump for all that need one. With
     * stacks taken inside the fork, one thread dump is made here anyway, after a real fork: it pays,
     * outside the next fork, what the first thread dump after a fork costs (see the class comment),
     * so that the next fork's dump costs what it would without an earlier fork.
     */
    public void completeAll(Iterable<ForkSnapshot> snapshots) {
        ThreadInfo[] dump = null;
        long dumpedNanos = 0;
        Map<Long, ThreadOrigin> allOrigins = null;
        ForkSnapshot lastFork = null;
        List<VirtualThreadInfo> virtualDump = null;
        long virtualDumpedNanos = 0;
        for (ForkSnapshot s : snapshots) {
            if (s.complete()) {
                continue;
            }
            if (s.parentNanos() != 0) {
                lastFork = s;
            }
            ThreadInfo[] threads = s.threads();
            long late = 0;
            if (threads == null) {
                if (dump == null) {
                    awaitForkReturned(s);
                    dump = dumpAfterFork();
                    dumpedNanos = System.nanoTime();
                }
                late = s.sequence == 0 ? 0 : dumpedNanos - (s.takenNanos + s.recordNanos);
                threads = aliveAtFork(dump, s.liveThreadIds);
            }
            if (allOrigins == null) {
                allOrigins = threadRegistry.originsById();
            }
            Map<Long, ThreadOrigin> origins = new HashMap<>();
            for (ThreadInfo info : threads) {
                ThreadOrigin origin = info == null ? null : allOrigins.get(info.getThreadId());
                if (origin != null) {
                    origins.put(info.getThreadId(), origin);
                }
            }
            if (listsVirtualThreads(s)) {
                if (virtualDump == null) {
                    awaitForkReturned(s);
                    virtualDump = virtualThreadsNow();
                    virtualDumpedNanos = System.nanoTime();
                }
                List<VirtualThreadInfo> alive = virtualAliveAtFork(virtualDump, s);
                for (VirtualThreadInfo v : alive) {
                    ThreadOrigin origin = allOrigins.get(v.id());
                    if (origin != null) {
                        origins.put(v.id(), origin);
                    }
                }
                s.completeVirtual(alive, s.sequence == 0 ? 0 : virtualDumpedNanos - (s.takenNanos + s.recordNanos));
            }
            s.completeWith(threads, late, origins);
        }
        if (dump == null && lastFork != null) {
            awaitForkReturned(lastFork);
            dumpAfterFork();
        }
    }

    private ThreadInfo[] dumpAfterFork() {
        SafepointGate.dumpStarting();
        try {
            return threadBean.dumpAllThreads(true, false, stackDepth);
        } finally {
            SafepointGate.dumpDone();
        }
    }

    /**
     * Whether to list virtual threads for this fork: on JDK 21+, once the application started one
     * (seen by the start advice), when a virtual thread owned a tracked lock at the fork, or after an
     * attach (virtual threads may predate the agent).
     */
    private boolean listsVirtualThreads(ForkSnapshot s) {
        return VirtualThreadDump.available() && (listAllVirtual || VirtualThreads.startSeen()
                || !s.virtualFacts().lockOwnerNames().isEmpty() || s.virtualFacts().forkingThreadVirtual());
    }

    private static List<VirtualThreadInfo> virtualThreadsNow() {
        try {
            return VirtualThreadDump.now();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Those of the dump that existed at the fork (id below the bound), the forking thread aside. */
    private static List<VirtualThreadInfo> virtualAliveAtFork(List<VirtualThreadInfo> dump, ForkSnapshot s) {
        long bound = s.virtualFacts().idBound();
        List<VirtualThreadInfo> kept = new ArrayList<>(dump.size());
        for (VirtualThreadInfo v : dump) {
            if ((bound < 0 || v.id() < bound) && v.id() != s.forkingThreadId) {
                kept.add(v);
            }
        }
        return kept;
    }

    private static ThreadInfo[] aliveAtFork(ThreadInfo[] dump, long[] liveIds) {
        Set<Long> live = new HashSet<>();
        for (long id : liveIds) {
            live.add(id);
        }
        List<ThreadInfo> kept = new ArrayList<>(dump.length);
        for (ThreadInfo info : dump) {
            if (info != null && live.contains(info.getThreadId())) {
                kept.add(info);
            }
        }
        return kept.toArray(new ThreadInfo[0]);
    }

    /**
     * Waits until the forking thread has most likely left {@code fork()}: a safepoint begun while it
     * returns to Java would hold it there, inside the pause the dump was moved out of.
     */
    private static void awaitForkReturned(ForkSnapshot s) {
        long parent = s.parentNanos();
        if (parent == 0) {
            return;
        }
        long wait = parent + FORK_RETURN_NANOS - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Margin after the parent handler for the forking thread to return from {@code fork()}. */
    private static final long FORK_RETURN_NANOS = 1_000_000;

    /**
     * Ids of every live platform thread, without a safepoint: the thread groups hold them (JDK 19+
     * asks the VM for its thread list under its own lock, no safepoint either).
     */
    private static long[] liveThreadIds() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 64];
        int n;
        while ((n = root.enumerate(all, true)) == all.length) {
            all = new Thread[all.length * 2];
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = all[i].getId();
        }
        return ids;
    }

    private static long[] idsOf(ThreadInfo[] threads) {
        long[] ids = new long[threads.length];
        for (int i = 0; i < threads.length; i++) {
            ids[i] = threads[i] == null ? -1 : threads[i].getThreadId();
        }
        return ids;
    }

    /** What a child prints about this lock if it ever tries to take it (formatted here: see docs/DESIGN.md, Child-safe code). */
    private static String childText(TrackedObject record, Thread owner) {
        CreationSite site = record.site();
        String created = site == CreationSite.UNTRACKED ? " (creation site not tracked)" : " created at "
                + site.describe();
        if (owner == null) {
            return record.identity() + created + ", taken at fork time (" + NO_OWNER_NOTE + ")";
        }
        String holder = VirtualThreads.isVirtual(owner) ? "virtual thread \"" + owner.getName() + "\" #" + owner.getId()
                : "thread \"" + owner.getName() + "\"";
        return record.identity() + created + ", held at fork time by " + holder
                + " (not in this process), locked at (not recorded for java.util.concurrent locks)";
    }

    /** Key, in {@link ForkSnapshot#ownedLocks}, of taken locks that record no owner. */
    public static final long NO_OWNER = -1;

    static final String NO_OWNER_NOTE = "this lock records no owner: unless the forking thread took it, "
            + "nobody in this process will release it";

    private static void add(Map<Long, List<TrackedObject>> owned, long threadId, TrackedObject record) {
        List<TrackedObject> list = owned.get(threadId);
        if (list == null) {
            list = new ArrayList<>(2);
            owned.put(threadId, list);
        }
        list.add(record);
    }

    private void ownedFromHeapWalk(ThreadInfo[] threads, Map<Long, List<TrackedObject>> owned) {
        for (ThreadInfo info : threads) {
            if (info == null) {
                continue;
            }
            for (LockInfo held : info.getLockedSynchronizers()) {
                if (WORKER_LOCK.equals(held.getClassName())) {
                    continue; // a pool worker's lock on itself: nobody else ever waits for it
                }
                TrackedObject record = lockRegistry.bySynchronizerHash(held.getIdentityHashCode());
                if (record == null) {
                    record = new TrackedObject(ownerTypeOf(held.getClassName()), held.getIdentityHashCode(),
                            CreationSite.UNTRACKED);
                }
                add(owned, info.getThreadId(), record);
            }
        }
    }

    /** {@code ReentrantLock$NonfairSync} is reported as the lock users know, {@code ReentrantLock}. */
    private static String ownerTypeOf(String syncClass) {
        int dollar = syncClass.indexOf('$');
        return dollar < 0 ? syncClass : syncClass.substring(0, dollar);
    }
}
