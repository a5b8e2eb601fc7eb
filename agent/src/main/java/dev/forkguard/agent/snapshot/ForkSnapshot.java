package dev.forkguard.agent.snapshot;

import dev.forkguard.agent.registry.LockRecord;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.probe.proc.ProcTask;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw facts taken inside one fork's prepare handler, unrendered: who forked, every Java thread
 * with its stack and held locks, the OS threads, and what the registries knew of them.
 */
public final class ForkSnapshot {

    public final long sequence;
    public final long epochMillis;
    public final int pid;
    public final int forkingTid;
    public final long forkingThreadId;
    public final ThreadInfo[] threads;
    public final List<ProcTask> osThreads;
    /** Children of the forking thread just before the fork, to tell the new child from older ones. */
    public final int[] childrenBefore;
    public final Map<Long, ThreadOrigin> origins;
    /** Registry records of the held synchronizers, by the synchronizer's identity hash. */
    public final Map<Integer, LockRecord> heldLocks;
    /** The agent's own threads, which vanish in the child like any other but harm nobody. */
    public final Set<Long> agentThreadIds;
    public final long recordNanos;

    ForkSnapshot(long sequence, long epochMillis, int pid, int forkingTid, long forkingThreadId, ThreadInfo[] threads,
            List<ProcTask> osThreads, int[] childrenBefore, Map<Long, ThreadOrigin> origins,
            Map<Integer, LockRecord> heldLocks, Set<Long> agentThreadIds, long recordNanos) {
        this.sequence = sequence;
        this.epochMillis = epochMillis;
        this.pid = pid;
        this.forkingTid = forkingTid;
        this.forkingThreadId = forkingThreadId;
        this.threads = threads;
        this.osThreads = osThreads;
        this.childrenBefore = childrenBefore;
        this.origins = origins;
        this.heldLocks = heldLocks;
        this.agentThreadIds = agentThreadIds;
        this.recordNanos = recordNanos;
    }
}
