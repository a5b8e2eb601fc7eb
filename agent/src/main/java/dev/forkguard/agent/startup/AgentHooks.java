package dev.forkguard.agent.startup;

import dev.forkguard.agent.child.OrphanedLockCheck;
import dev.forkguard.agent.fork.ForkState;
import dev.forkguard.agent.registry.LockRegistry;
import dev.forkguard.agent.registry.ThreadRegistry;
import dev.forkguard.agent.snapshot.VirtualThreads;
import dev.forkguard.bridge.ForkguardHooks;

/**
 * The agent's side of the bridge: routes what instrumented JDK code reports to the registries.
 * In a forked child it does nothing: the registries' own locks may be held by a vanished thread.
 */
final class AgentHooks implements ForkguardHooks {

    private final ThreadRegistry threads;
    private final LockRegistry locks;
    private final AgentThreads agentThreads;

    AgentHooks(ThreadRegistry threads, LockRegistry locks, AgentThreads agentThreads) {
        this.threads = threads;
        this.locks = locks;
        this.agentThreads = agentThreads;
    }

    @Override
    public void threadStarting(Thread thread) {
        if (!ForkState.inChild()) {
            threads.threadStarting(thread);
            agentThreads.consider(thread);
            VirtualThreads.noteStarting(thread);
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
