package dev.forkguard.agent.snapshot;

import dev.forkguard.agent.child.OrphanedLockCheck;
import dev.forkguard.agent.registry.CreationSite;
import dev.forkguard.agent.registry.LazySite;
import dev.forkguard.agent.registry.TrackedObject;
import dev.forkguard.agent.registry.LockRegistry;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.agent.registry.ThreadRegistry;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.ProbeUnavailableException;
import dev.forkguard.probe.stack.CallerStack;
import dev.forkguard.probe.stack.NativeCallerCapture;
import dev.forkguard.probe.proc.ChildProcesses;
import dev.forkguard.probe.proc.ProcTasks;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes a {@link ForkSnapshot} inside the fork window. It runs in the forking thread while every
 * other thread still runs, so it may allocate, but its time is added to the fork pause. Measured
 * here, and chosen accordingly:
 * <ul>
 *   <li>{@code dumpAllThreads(true, false, depth)}: stacks and held monitors in one safepoint
 *       (0.13 ms at 10 threads, 0.65 ms at 100). Not {@code lockedSynchronizers = true}: that walks
 *       the whole heap (7 to 12 ms here, more with a larger heap);
 *   <li>owned {@code java.util.concurrent} locks: the owner field of each tracked lock, instead;
 *   <li>OS threads: the ids only, one directory read; names are read after the fork, because a
 *       file read a thread costs about 25 µs;
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
    private final Set<Long> agentThreadIds;
    /** Null where native frames cannot be read (not x86-64): reports then carry none. */
    private final NativeCallerCapture nativeCallers;

    /**
     * @param heapWalk find owned locks with the JVM's heap walk rather than from the lock registry
     */
    public SnapshotRecorder(ThreadRegistry threadRegistry, LockRegistry lockRegistry, int stackDepth,
            boolean heapWalk, Set<Long> agentThreadIds) {
        this.threadRegistry = threadRegistry;
        this.lockRegistry = lockRegistry;
        this.stackDepth = stackDepth;
        this.heapWalk = heapWalk;
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
        ThreadInfo[] threads = threadBean.dumpAllThreads(true, heapWalk, stackDepth);
        final Map<Long, List<TrackedObject>> owned = new HashMap<>();
        final List<Object> childSyncs = new ArrayList<>();
        final List<String> childTexts = new ArrayList<>();
        if (heapWalk) {
            ownedFromHeapWalk(threads, owned);
        } else {
            lockRegistry.collectHeld(new LockRegistry.HeldVisitor() {
                @Override
                public void held(Object synchronizer, TrackedObject record, Thread owner) {
                    add(owned, owner == null ? NO_OWNER : owner.getId(), record);
                    if (owner == null || owner.getId() != forkingThreadId) {
                        childSyncs.add(synchronizer);
                        childTexts.add(childText(record, owner));
                    }
                }
            });
        }

        int[] osThreadIds = ProcTasks.tids();
        int[] childrenBefore = ChildProcesses.of(pid, tid);
        Map<Long, ThreadOrigin> allOrigins = threadRegistry.originsById();
        Map<Long, ThreadOrigin> origins = new HashMap<>();
        long[] liveIds = new long[threads.length];
        for (int i = 0; i < threads.length; i++) {
            liveIds[i] = threads[i] == null ? -1 : threads[i].getThreadId();
            ThreadOrigin origin = threads[i] == null ? null : allOrigins.get(liveIds[i]);
            if (origin != null) {
                origins.put(liveIds[i], origin);
            }
        }
        OrphanedLockCheck.prepare(liveIds, childSyncs.toArray(), childTexts.toArray(new String[0]));
        return new ForkSnapshot(sequence, System.currentTimeMillis(), pid, tid, forkingThreadId, threads, forkingStack,
                callers, osThreadIds,
                childrenBefore, origins, owned, Collections.unmodifiableSet(agentThreadIds),
                System.nanoTime() - start, start);
    }

    /** What a child prints about this lock if it ever tries to take it (DESIGN fact 9: formatted here). */
    private static String childText(TrackedObject record, Thread owner) {
        CreationSite site = record.site();
        String created = site == CreationSite.UNTRACKED ? " (creation site not tracked)" : " created at "
                + site.describe();
        if (owner == null) {
            return record.identity() + created + ", taken at fork time (" + NO_OWNER_NOTE + ")";
        }
        return record.identity() + created + ", held at fork time by thread \"" + owner.getName()
                + "\" (not in this process), locked at (not recorded for java.util.concurrent locks)";
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
                            LazySite.of(CreationSite.UNTRACKED));
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
