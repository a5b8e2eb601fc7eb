package dev.forkguard.agent.child;

import dev.forkguard.bridge.ForkguardBridge;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs every advised acquisition once in the parent with {@code forkInFlight} raised, so that the
 * advice's references to the bridge, inlined into the JDK's lock classes, are resolved here.
 * Otherwise a child would resolve them on its first acquisition, inside the JVM's own mutexes, which a
 * vanished thread may hold: the very hang forkguard is there to explain (DESIGN fact 9).
 */
public final class AdvicePathWarmUp {

    private AdvicePathWarmUp() {}

    public static void run() throws InterruptedException {
        ForkguardBridge.forkInFlight = true;
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
        } finally {
            ForkguardBridge.forkInFlight = false;
        }
    }
}
