package dev.forkguard.agent.child;

import dev.forkguard.bridge.ForkguardBridge;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Runs every advised acquisition once in the parent with a fork counted in flight, so that the
 * advice's references to the bridge, inlined into the JDK's lock classes, are resolved here.
 * Otherwise a child would resolve them on its first acquisition, inside the JVM's own mutexes, which a
 * vanished thread may hold: the very hang forkguard is there to explain (see docs/DESIGN.md, Child-safe code).
 */
public final class AdvicePathWarmUp {

    private AdvicePathWarmUp() {}

    public static void run() throws InterruptedException {
        ForkguardBridge.forkStarting();
        try {
            ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
            for (Lock lock : new Lock[] {new ReentrantLock(), rw.readLock(), rw.writeLock()}) {
                lock.lock();
                lock.unlock();
                lock.lockInterruptibly();
                lock.unlock();
                if (lock.tryLock(1, TimeUnit.NANOSECONDS)) {
                    lock.unlock();
                }
            }
            Semaphore permits = new Semaphore(3);
            permits.acquire();
            permits.acquire(1);
            permits.acquireUninterruptibly();
            permits.release(3);
            if (permits.tryAcquire(1, TimeUnit.NANOSECONDS)) {
                permits.release();
            }
            if (permits.tryAcquire(1, 1, TimeUnit.NANOSECONDS)) {
                permits.release();
            }
            StampedLock stamped = new StampedLock();
            stamped.unlockWrite(stamped.writeLock());
            stamped.unlockRead(stamped.readLock());
            stamped.unlockWrite(stamped.writeLockInterruptibly());
            stamped.unlockRead(stamped.readLockInterruptibly());
            stamped.unlockWrite(stamped.tryWriteLock(1, TimeUnit.NANOSECONDS));
            stamped.unlockRead(stamped.tryReadLock(1, TimeUnit.NANOSECONDS));
        } finally {
            ForkguardBridge.forkDone();
        }
    }
}
