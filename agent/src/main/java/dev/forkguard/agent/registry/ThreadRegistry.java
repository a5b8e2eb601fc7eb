package dev.forkguard.agent.registry;

import java.util.HashMap;
import java.util.Map;

/** Where each tracked thread came from, and which executor it belongs to; keyed weakly by thread. */
public final class ThreadRegistry {

    private final IdentityWeakTable<ThreadOrigin> threads;
    private final IdentityWeakTable<TrackedObject> executors;
    private final int siteDepth;

    public ThreadRegistry(int maxEntries, int siteDepth) {
        this.threads = new IdentityWeakTable<>(maxEntries);
        this.executors = new IdentityWeakTable<>(maxEntries);
        this.siteDepth = siteDepth;
    }

    /** Called on the starting thread, just before {@code thread} starts. */
    public void threadStarting(Thread thread) {
        Thread starter = Thread.currentThread();
        originOf(thread).started(starter.getName(), starter.getId(), LazySite.capture(siteDepth));
    }

    public void executorCreated(Object executor) {
        if (executors.get(executor) == null) {
            executors.put(executor, new TrackedObject(executor.getClass().getName(),
                    System.identityHashCode(executor), LazySite.capture(siteDepth)));
        }
    }

    public void workerCreated(Object executor, Thread worker) {
        TrackedObject record = executors.get(executor);
        if (record == null) {
            // An executor made before the agent started.
            record = new TrackedObject(executor.getClass().getName(), System.identityHashCode(executor),
                    LazySite.of(CreationSite.BEFORE_AGENT));
            executors.put(executor, record);
        }
        originOf(worker).workerOf(record);
    }

    /** Origins of live tracked threads by thread id, for the fork-time snapshot. */
    public Map<Long, ThreadOrigin> originsById() {
        final Map<Long, ThreadOrigin> out = new HashMap<>();
        threads.forEach(new IdentityWeakTable.Visitor<ThreadOrigin>() {
            @Override
            public void visit(Object key, ThreadOrigin value) {
                out.put(((Thread) key).getId(), value);
            }
        });
        return out;
    }

    public int trackedThreads() {
        return threads.size();
    }

    public long dropped() {
        return threads.dropped() + executors.dropped();
    }

    private ThreadOrigin originOf(Thread thread) {
        ThreadOrigin origin = threads.get(thread);
        if (origin == null) {
            origin = new ThreadOrigin();
            if (!threads.put(thread, origin)) {
                return origin; // table full: recorded nowhere, counted as dropped
            }
        }
        return origin;
    }
}
