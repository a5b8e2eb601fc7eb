package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forks once while many threads are alive ("parked-0" to "parked-N-1", each waiting on a latch), then
 * shows it keeps working: starts a thread, takes a lock, and ends every parked thread. Args: threads,
 * and "withHolder" for one more thread, "ledger-writer", holding a ReentrantLock at the fork.
 */
public final class ManyThreadsForkApp {

    private ManyThreadsForkApp() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        Libc.bind();
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] parked = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            parked[i] = new Thread(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "parked-" + i);
            parked[i].start();
        }
        started.await();
        LockHolder holder = null;
        if (args.length > 1 && "withHolder".equals(args[1])) {
            holder = LockHolder.hold(new ReentrantLock(), "ledger-writer");
        }
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 10_000);
        if (holder != null) {
            holder.release();
        }
        release.countDown();
        for (Thread t : parked) {
            t.join();
        }
        ReentrantLock lock = new ReentrantLock();
        Thread after = new Thread(() -> {
            lock.lock();
            lock.unlock();
        }, "after-fork");
        after.start();
        after.join();
        System.out.println("app: forked with " + threads + " threads alive, all of them ended, still working");
    }
}
