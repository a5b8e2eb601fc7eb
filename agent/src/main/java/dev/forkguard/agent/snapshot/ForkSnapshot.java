package dev.forkguard.agent.snapshot;

import dev.forkguard.agent.registry.TrackedObject;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.probe.proc.ChildrenListing;
import dev.forkguard.probe.proc.TaskListing;
import dev.forkguard.probe.stack.CallerStack;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw facts of one fork, unrendered. Taken inside the prepare handler: who forked and from where,
 * the Java threads alive, the {@code java.util.concurrent} locks each owned, the OS thread ids, the
 * forking thread's children and, unless {@code stacks=after}, every thread's stack and held
 * monitors. Added after the fork by {@link SnapshotRecorder#complete}: those stacks when they were
 * not taken inside (a thread dump is a safepoint), and what the thread registry knew of the threads.
 */
public final class ForkSnapshot {

    public final long sequence;
    public final long epochMillis;
    public final int pid;
    public final int forkingTid;
    public final long forkingThreadId;
    public final String forkingThreadName;
    public final boolean forkingThreadDaemon;
    /** Frames kept per stack (the {@code stackDepth} option). */
    public final int stackDepth;
    /** Ids of the Java threads alive inside the prepare handler, in no particular order. */
    final long[] liveThreadIds;
    /**
     * The forking thread's own stack, as a cheap unmaterialised capture: the thread dump's depth
     * would be spent on the handler's own frames.
     */
    public final Throwable forkingStack;
    /** The stack words above {@code fork()}'s frame, for its native callers; null when not captured. */
    public final CallerStack nativeCallers;
    /** Every OS thread of the process; names are read after the fork, off the fork window. */
    private final TaskListing osThreads;
    /** Children of the forking thread just before the fork, to tell the new child from older ones. */
    private final ChildrenListing childrenBefore;
    /** java.util.concurrent locks owned at fork time, by owner thread id. */
    public final Map<Long, List<TrackedObject>> ownedLocks;
    /** The agent's own threads, which vanish in the child like any other but harm nobody. */
    public final Set<Long> agentThreadIds;
    /** Time spent inside the prepare handler. */
    public final long recordNanos;
    /** {@code System.nanoTime()} when the snapshot began, just before the fork. */
    public final long takenNanos;

    /**
     * What the host language handed over for this fork ({@code HostForkContext}): unparsed text, or
     * null when the fork did not come from a host with forkguard's hook (Python's package).
     */
    volatile String hostContext;

    private volatile ThreadInfo[] threads;
    private volatile Map<Long, ThreadOrigin> origins;
    /** How long after the prepare handler the stacks were taken; 0 when taken inside it. */
    private volatile long stacksLateNanos;
    /**
     * The forking thread's children, read in the parent handler: the only moment the child cannot
     * have been reaped yet, since {@code fork()} has not returned its pid to anyone.
     */
    private volatile ChildrenListing childrenAfter;
    /** {@code System.nanoTime()} when the parent handler ran; 0 before. */
    private volatile long parentNanos;

    /** Virtual-thread facts of the fork window (JDK 21+), set by {@link SnapshotRecorder#record}. */
    private VirtualFacts virtualFacts = VirtualFacts.NONE;
    /** The virtual threads alive at the fork, from a dump after it; null before {@code complete} or without. */
    private volatile List<VirtualThreadInfo> virtualThreads;
    private volatile long virtualLateNanos;

    /**
     * What the fork window knew of virtual threads: every thread id below {@code idBound} existed at
     * the fork (-1: unknown); the carrier of the forking thread when that is a virtual thread (it is the
     * thread that goes on in the child, not one that vanishes); names of the virtual threads that owned
     * tracked locks, by id (exact even if they end before the dump after the fork).
     */
    public record VirtualFacts(long idBound, boolean forkingThreadVirtual, long forkingCarrierId,
            Map<Long, String> lockOwnerNames) {
        static final VirtualFacts NONE = new VirtualFacts(-1, false, -1, Map.of());
    }

    ForkSnapshot(long sequence, long epochMillis, int pid, int forkingTid, Thread forkingThread, int stackDepth,
            long[] liveThreadIds, ThreadInfo[] threads, Throwable forkingStack, CallerStack nativeCallers,
            TaskListing osThreads, ChildrenListing childrenBefore, Map<Long, List<TrackedObject>> ownedLocks,
            Set<Long> agentThreadIds, long recordNanos, long takenNanos) {
        this.sequence = sequence;
        this.epochMillis = epochMillis;
        this.pid = pid;
        this.forkingTid = forkingTid;
        this.forkingThreadId = forkingThread.getId();
        this.forkingThreadName = forkingThread.getName();
        this.forkingThreadDaemon = forkingThread.isDaemon();
        this.stackDepth = stackDepth;
        this.liveThreadIds = liveThreadIds;
        this.threads = threads;
        this.forkingStack = forkingStack;
        this.nativeCallers = nativeCallers;
        this.osThreads = osThreads;
        this.childrenBefore = childrenBefore;
        this.ownedLocks = ownedLocks;
        this.agentThreadIds = agentThreadIds;
        this.recordNanos = recordNanos;
        this.takenNanos = takenNanos;
    }

    /** Called by the parent handler just after the fork: one raw read, parsed later. */
    public void childrenAfterFork(ChildrenListing listing, long nanos) {
        childrenAfter = listing;
        parentNanos = nanos;
    }

    /** The host language's own view of this fork, unparsed; null when none was handed over. */
    public String hostContext() {
        return hostContext;
    }

    /** {@code System.nanoTime()} when the parent handler ran, or 0 (no fork, or not yet). */
    public long parentNanos() {
        return parentNanos;
    }

    /** The child's pid, or null if it could not be told. */
    public Integer childPid() {
        ChildrenListing after = childrenAfter;
        if (after == null) {
            return null;
        }
        int[] before = childrenBefore.pids();
        for (int pid : after.pids()) {
            boolean old = false;
            for (int b : before) {
                old |= b == pid;
            }
            if (!old) {
                return pid;
            }
        }
        return null;
    }

    /** The OS thread ids listed inside the prepare handler. */
    public int[] osThreadIds() {
        return osThreads.tids();
    }

    /** Every Java thread alive at the fork, with stack and held monitors; null before {@code complete}. */
    public ThreadInfo[] threads() {
        return threads;
    }

    /** What the thread registry knew of those threads, by id; null before {@code complete}. */
    public Map<Long, ThreadOrigin> origins() {
        return origins;
    }

    /** How long after the fork's prepare handler the stacks were taken; 0 when inside it. */
    public long stacksLateNanos() {
        return stacksLateNanos;
    }

    void virtualFacts(VirtualFacts facts) {
        this.virtualFacts = facts;
    }

    public VirtualFacts virtualFacts() {
        return virtualFacts;
    }

    /** Virtual threads alive at the fork (the forking one aside), or null when none were listed. */
    public List<VirtualThreadInfo> virtualThreads() {
        return virtualThreads;
    }

    /** How long after the prepare handler the virtual threads were dumped. */
    public long virtualThreadsLateNanos() {
        return virtualLateNanos;
    }

    void completeVirtual(List<VirtualThreadInfo> threads, long lateNanos) {
        this.virtualThreads = threads;
        this.virtualLateNanos = lateNanos;
    }

    boolean complete() {
        return threads != null && origins != null;
    }

    void completeWith(ThreadInfo[] threads, long lateNanos, Map<Long, ThreadOrigin> origins) {
        if (this.threads == null) {
            this.threads = threads;
            this.stacksLateNanos = lateNanos;
        }
        this.origins = origins;
    }
}
