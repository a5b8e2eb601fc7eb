package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Several threads fork at the same moment, each while holding a lock of its own; the child of worker
 * i takes worker i+1's lock, held by a thread the child does not have. Without forkguard every child
 * blocks for ever; with {@code childPolicy=exit} every child must end with the exit code, having
 * checked the facts of its own fork (another worker's would not list that lock as orphaned). Then a
 * thread that never entered the agent before (no lock made, no thread started) forks once; its child
 * takes a lock main holds. Args: workers, rounds, how long each child may take (ms). Prints one line
 * per child: "app: <who> child exited with code N" or "... killed".
 */
public final class ConcurrentOrphanForksApp {

    private ConcurrentOrphanForksApp() {}

    public static void main(String[] args) throws Exception {
        final int workers = Integer.parseInt(args[0]);
        final int rounds = Integer.parseInt(args[1]);
        final long childMillis = Long.parseLong(args[2]);
        Libc.bind();
        final ReentrantLock[] locks = new ReentrantLock[workers];
        for (int i = 0; i < workers; i++) {
            locks[i] = new ReentrantLock();
        }
        final CyclicBarrier barrier = new CyclicBarrier(workers);
        Thread[] threads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            final int me = i;
            threads[i] = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        for (int r = 0; r < rounds; r++) {
                            forkRound(me, locks[me], locks[(me + 1) % workers], barrier, childMillis);
                        }
                    } catch (Exception e) {
                        System.out.println("app: worker-" + me + " failed: " + e);
                    }
                }
            }, "worker-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        freshThreadForks(childMillis);
    }

    private static void forkRound(int me, ReentrantLock own, ReentrantLock next, CyclicBarrier barrier,
            long childMillis) throws Exception {
        own.lock();
        try {
            barrier.await(60, TimeUnit.SECONDS); // every worker holds its lock
            // Run in the parent what the child runs (docs/DESIGN.md, Child-safe code): the acquisition, timed out here.
            if (next.tryLock(1, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("worker " + me + " got a lock another worker holds");
            }
            int child = Libc.fork();
            if (child == 0) {
                next.lock();
                Libc._exit(0);
            }
            report("worker-" + me, child, childMillis);
            barrier.await(60, TimeUnit.SECONDS); // every child is done: the locks may go
        } finally {
            own.unlock();
        }
    }

    /** A new thread whose first act is to fork: the agent's per-thread state for it is made at the fork. */
    private static void freshThreadForks(final long childMillis) throws Exception {
        final ReentrantLock mains = new ReentrantLock();
        mains.lock();
        try {
            Thread fresh = new Thread(new Runnable() {
                @Override
                public void run() {
                    int child = Libc.fork();
                    if (child == 0) {
                        mains.lock();
                        Libc._exit(0);
                    }
                    try {
                        report("fresh-forker", child, childMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "fresh-forker");
            fresh.start();
            fresh.join();
        } finally {
            mains.unlock();
        }
    }

    private static void report(String who, int child, long childMillis) throws InterruptedException {
        int[] status = new int[1];
        if (ChildWaits.exitsWithin(child, childMillis, status)) {
            System.out.println("app: " + who + " child exited with code " + Libc.exitCode(status[0]));
        } else {
            System.out.println("app: " + who + " child killed after " + childMillis + " ms");
        }
    }
}
