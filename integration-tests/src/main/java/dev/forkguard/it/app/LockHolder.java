package dev.forkguard.it.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;

/** A thread that takes a lock and keeps it until released: the thread a fork leaves behind. */
final class LockHolder {

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;

    private LockHolder(Lock lock, String name) {
        thread = new Thread(() -> {
            lock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }, name);
    }

    /** Starts the holder and returns once it holds the lock. */
    static LockHolder hold(Lock lock, String name) throws InterruptedException {
        LockHolder h = new LockHolder(lock, name);
        h.thread.start();
        h.held.await();
        return h;
    }

    /** Lets the holder unlock and end, and waits for it. */
    void release() throws InterruptedException {
        release.countDown();
        thread.join();
    }
}
