package dev.forkguard.agent.startup;

import dev.forkguard.agent.child.OrphanedLockCheck;
import dev.forkguard.agent.child.ForkState;
import dev.forkguard.agent.registry.LockRegistry;
import dev.forkguard.agent.registry.ThreadRegistry;
import dev.forkguard.agent.registry.TrackingBudget;
import dev.forkguard.agent.registry.VirtualThreads;
import dev.forkguard.bridge.ForkguardHooks;

/**
 * The agent's side of the bridge: routes what instrumented JDK code reports to the registries.
 * In a forked child it does nothing: the registries' own locks may be held by a vanished thread.
 */
final class AgentHooks implements ForkguardHooks {

    private final ThreadRegistry threads;
    private final LockRegistry locks;
    private final AgentThreads agentThreads;

    /**
     * Virtual threads start by the million, and recording where each starts costs more than starting
     * it (docs/DESIGN.md, Virtual threads and many threads), so they share the {@code trackRate}
     * budget that locks have; over it, a virtual thread is reported without origin.
     */
    private final TrackingBudget virtualStarts;

    AgentHooks(ThreadRegistry threads, LockRegistry locks, AgentThreads agentThreads, TrackingBudget virtualStarts) {
        this.threads = threads;
        this.locks = locks;
        this.agentThreads = agentThreads;
        this.virtualStarts = virtualStarts;
    }

    @Override
    public void threadStarting(Thread thread) {
        if (!ForkState.inChild()) {
            if (VirtualThreads.isVirtual(thread)) {
                VirtualThreads.noteStarting(thread);
                if (virtualStarts.tryTake()) {
                    threads.threadStarting(thread);
                }
                return;
            }
            threads.threadStarting(thread);
            agentThreads.consider(thread);
        }
    }

    @Override
    public void lockCreated(Object lock, Object synchronizer) {
        if (!ForkState.inChild()) {
            locks.record(lock, synchronizer);
        }
    }

    @Override
    public void executorCreated(Object executor) {
        if (!ForkState.inChild()) {
            threads.executorCreated(executor);
        }
    }

    @Override
    public void lockAcquiring(Object lock, Object synchronizer, boolean timed) {
        OrphanedLockCheck.check(lock, synchronizer, timed);
    }

    @Override
    public void workerCreated(Object executor, Thread worker) {
        if (!ForkState.inChild()) {
            threads.workerCreated(executor, worker);
        }
    }
}
