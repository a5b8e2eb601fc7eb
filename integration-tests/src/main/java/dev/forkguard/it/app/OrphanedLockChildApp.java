package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * A thread holds a ReentrantLock; main forks; the child takes the lock, as real code would. Without
 * forkguard the child blocks for ever. Args: how long the parent waits for the child (ms), and
 * "timed" to use tryLock(1 s) instead of lock(). The child exits 0 if it got the lock, 3 if a timed
 * acquisition timed out, 42 if an Error came out of the acquisition. With "fillHeap" the parent fills
 * its heap to about 90% before forking, so the child's own allocations have little room. With
 * "semaphore", "stamped" or "readwrite" the lock is a one-permit Semaphore, a write-locked StampedLock
 * or the write lock of a ReentrantReadWriteLock (whose read lock the child then takes).
 */
public final class OrphanedLockChildApp {

    /** Kept reachable so that the heap stays full. */
    static final java.util.List<byte[]> BALLAST = new java.util.ArrayList<>();

    private OrphanedLockChildApp() {}

    private static final java.util.Map<Lock, ReentrantReadWriteLock> READ_WRITE = new java.util.IdentityHashMap<>();

    private static ReentrantReadWriteLock readWrite() {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        READ_WRITE.put(rw.writeLock(), rw);
        return rw;
    }

    private static Lock readLockOf(Lock writeLock) {
        for (ReentrantReadWriteLock rw : READ_WRITE.values()) {
            if (rw.writeLock() == writeLock) {
                return rw.readLock();
            }
        }
        throw new IllegalStateException("not a write lock of a known ReentrantReadWriteLock");
    }

    /** A one-permit Semaphore seen through the Lock interface, so the scenarios share their code. */
    private static final class SemaphoreLock implements Lock {
        private final Semaphore semaphore;

        SemaphoreLock(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void lock() {
            semaphore.acquireUninterruptibly();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            semaphore.acquire();
        }

        @Override
        public boolean tryLock() {
            return semaphore.tryAcquire();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return semaphore.tryAcquire(time, unit);
        }

        @Override
        public void unlock() {
            semaphore.release();
        }

        @Override
        public java.util.concurrent.locks.Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }

    private static void fillHeap(double fraction) {
        Runtime rt = Runtime.getRuntime();
        while (rt.totalMemory() - rt.freeMemory() < fraction * rt.maxMemory()) {
            BALLAST.add(new byte[64 * 1024]);
        }
        System.out.println("app: heap filled to " + (rt.totalMemory() - rt.freeMemory()) * 100 / rt.maxMemory() + "%");
    }

    public static void main(String[] args) throws Exception {
        long waitMillis = Long.parseLong(args[0]);
        boolean timed = java.util.Arrays.asList(args).contains("timed");
        if (java.util.Arrays.asList(args).contains("fillHeap")) {
            fillHeap(0.90);
        }
        Libc.bind();
        java.util.List<String> options = java.util.Arrays.asList(args);
        Lock inventoryLock = options.contains("semaphore") ? new SemaphoreLock(new Semaphore(1))
                : options.contains("stamped") ? new StampedLock().asWriteLock()
                : options.contains("readwrite") ? readWrite().writeLock()
                : new ReentrantLock();
        // The child takes the read lock of a read-write lock whose write lock the holder has.
        Lock childLock = options.contains("readwrite") ? readLockOf(inventoryLock) : inventoryLock;
        LockHolder holder = LockHolder.hold(inventoryLock, "inventory-writer");
        // Code a child runs must have run in the parent first: its call sites and fields are resolved
        // here, not in the child, where the JVM's own mutexes may be held by vanished threads (seen:
        // resolving TimeUnit.SECONDS first in the child hung in SystemDictionary::add_loader_constraint).
        TimeUnit second = TimeUnit.SECONDS;
        if (childLock.tryLock(1, TimeUnit.MILLISECONDS)) {
            childLock.unlock();
        }

        int child = Libc.fork();
        if (child == 0) {
            try {
                if (timed) {
                    Libc._exit(childLock.tryLock(1, second) ? 0 : 3);
                }
                childLock.lock();
                Libc._exit(0);
            } catch (Error e) {
                Libc._exit(42);
            } catch (InterruptedException e) {
                Libc._exit(4);
            }
        }
        System.out.println("app: forked child " + child);
        ChildWaits.awaitOrKill(child, waitMillis);
        holder.release();
    }
}
