package dev.forkguard.agent.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where each tracked thread came from, and which executor it belongs to; keyed weakly by thread.
 * A thread's entry holds an interned {@link ThreadOrigin}, an executor's its interned creation
 * site and identity hash, so neither costs more than its entry.
 */
public final class ThreadRegistry {

    private final IdentityWeakTable<ThreadOrigin> threads;
    private final IdentityWeakTable<CreationSite> executors;
    private final CreationSites sites;
    private final int maxOrigins;
    private final ConcurrentHashMap<ThreadOrigin, ThreadOrigin> origins = new ConcurrentHashMap<>();
    private final AtomicInteger originCount = new AtomicInteger();
    /** Threads and executors left untracked: a new creation site with the site table full. */
    private final LongAdder refused = new LongAdder();

    /**
     * @param maxOrigins distinct origins (starter's name, start site, executor) interned at most; past
     *        it the interning starts afresh (origins of threads started with executors made and dropped
     *        keep coming), and live threads keep the origins they have
     */
    public ThreadRegistry(TrackedCapacity capacity, CreationSites sites, int maxOrigins) {
        this.threads = new IdentityWeakTable<>(capacity);
        this.executors = new IdentityWeakTable<>(capacity);
        this.sites = sites;
        this.maxOrigins = maxOrigins;
    }

    /** Called on the starting thread, just before {@code thread} starts. */
    public void threadStarting(Thread thread) {
        Thread starter = Thread.currentThread();
        CreationSite site = sites.capture(null);
        if (site == null) {
            refused.increment();
            return;
        }
        ThreadOrigin current = threads.get(thread);
        put(thread, (current == null ? ThreadOrigin.NONE : current).started(starter.getName(), site));
    }

    public void executorCreated(Object executor) {
        if (executors.get(executor) == null) {
            CreationSite site = sites.capture(executor.getClass());
            if (site == null) {
                refused.increment();
                return;
            }
            executors.put(executor, site, System.identityHashCode(executor));
        }
    }

    public void workerCreated(Object executor, Thread worker) {
        TrackedObject record = executorRecord(executor);
        if (record == null) {
            // An executor made before the agent started.
            record = new TrackedObject(executor.getClass().getName(), System.identityHashCode(executor),
                    CreationSite.BEFORE_AGENT);
            executors.put(executor, CreationSite.BEFORE_AGENT, record.identityHash());
        }
        ThreadOrigin current = threads.get(worker);
        put(worker, (current == null ? ThreadOrigin.NONE : current).workerOf(record));
    }

    /** Origins of live tracked threads by thread id, for the fork-time snapshot. */
    public Map<Long, ThreadOrigin> originsById() {
        final Map<Long, ThreadOrigin> out = new HashMap<>();
        threads.forEach(new IdentityWeakTable.Visitor<ThreadOrigin>() {
            @Override
            public void visit(Object key, ThreadOrigin value, int tag) {
                out.put(((Thread) key).getId(), value);
            }
        });
        return out;
    }

    public int trackedThreads() {
        return threads.size();
    }

    /** Threads and executors not tracked: capacity ({@code maxTracked}) spent, or no room for a new site. */
    public long notTracked() {
        return threads.dropped() + executors.dropped() + refused.sum();
    }

    /** Drops the entries of collected threads and executors; for a background thread, now and then. */
    public void expungeStale() {
        threads.expungeStale();
        executors.expungeStale();
    }

    private TrackedObject executorRecord(Object executor) {
        final TrackedObject[] found = new TrackedObject[1];
        int hash = System.identityHashCode(executor);
        final Object wanted = executor;
        executors.findByIdentityHash(hash, new IdentityWeakTable.Visitor<CreationSite>() {
            @Override
            public void visit(Object key, CreationSite site, int tag) {
                if (key == wanted) {
                    found[0] = new TrackedObject(site == CreationSite.BEFORE_AGENT
                            ? wanted.getClass().getName() : site.type(), tag, site);
                }
            }
        });
        return found[0];
    }

    private void put(Thread thread, ThreadOrigin origin) {
        ThreadOrigin shared = origins.get(origin);
        if (shared == null) {
            if (originCount.get() >= maxOrigins) {
                origins.clear();
                originCount.set(0);
            }
            shared = origins.putIfAbsent(origin, origin);
            if (shared == null) {
                originCount.incrementAndGet();
                shared = origin;
            }
        }
        threads.put(thread, shared);
    }
}
