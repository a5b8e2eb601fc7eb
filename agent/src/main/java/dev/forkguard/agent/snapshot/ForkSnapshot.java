package dev.forkguard.agent.snapshot;

import dev.forkguard.agent.registry.TrackedObject;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.probe.stack.CallerStack;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw facts taken inside one fork's prepare handler, unrendered: who forked, every Java thread
 * with its stack and held monitors, the locks each thread owned, the OS thread ids, and what the
 * registries knew of them.
 */
public final class ForkSnapshot {

    public final long sequence;
    public final long epochMillis;
    public final int pid;
    public final int forkingTid;
    public final long forkingThreadId;
    public final ThreadInfo[] threads;
    /**
     * The forking thread's own stack, as a cheap unmaterialised capture: the thread dump's depth
     * would be spent on the handler's own frames.
     */
    public final Throwable forkingStack;
    /** The stack words above {@code fork()}'s frame, for its native callers; null when not captured. */
    public final CallerStack nativeCallers;
    /** Every OS thread of the process; names are read after the fork, off the fork window. */
    public final int[] osThreadIds;
    /** Children of the forking thread just before the fork, to tell the new child from older ones. */
    public final int[] childrenBefore;
    public final Map<Long, ThreadOrigin> origins;
    /** java.util.concurrent locks owned at fork time, by owner thread id. */
    public final Map<Long, List<TrackedObject>> ownedLocks;
    /** The agent's own threads, which vanish in the child like any other but harm nobody. */
    public final Set<Long> agentThreadIds;
    public final long recordNanos;
    /**
     * The child's pid, read in the parent handler: the only moment it cannot have been reaped yet,
     * since {@code fork()} has not returned its pid to anyone. 0 when it could not be told.
     */
    private volatile int childPid;

    /** {@code System.nanoTime()} when the snapshot began, just before the fork. */
    public final long takenNanos;

    ForkSnapshot(long sequence, long epochMillis, int pid, int forkingTid, long forkingThreadId, ThreadInfo[] threads,
            Throwable forkingStack, CallerStack nativeCallers, int[] osThreadIds, int[] childrenBefore, Map<Long, ThreadOrigin> origins,
            Map<Long, List<TrackedObject>> ownedLocks, Set<Long> agentThreadIds, long recordNanos, long takenNanos) {
        this.sequence = sequence;
        this.epochMillis = epochMillis;
        this.pid = pid;
        this.forkingTid = forkingTid;
        this.forkingThreadId = forkingThreadId;
        this.threads = threads;
        this.forkingStack = forkingStack;
        this.nativeCallers = nativeCallers;
        this.osThreadIds = osThreadIds;
        this.childrenBefore = childrenBefore;
        this.origins = origins;
        this.ownedLocks = ownedLocks;
        this.agentThreadIds = agentThreadIds;
        this.recordNanos = recordNanos;
        this.takenNanos = takenNanos;
    }

    /** Called by the parent handler with the forking thread's children just after the fork. */
    public void childrenAfterFork(int[] childrenAfter) {
        for (int pid : childrenAfter) {
            boolean old = false;
            for (int before : childrenBefore) {
                old |= before == pid;
            }
            if (!old) {
                childPid = pid;
                return;
            }
        }
    }

    /** The child's pid, or null if it could not be told. */
    public Integer childPid() {
        int pid = childPid;
        return pid == 0 ? null : pid;
    }
}
