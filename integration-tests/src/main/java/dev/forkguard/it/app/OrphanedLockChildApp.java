package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A thread holds a ReentrantLock; main forks; the child takes the lock, as real code would. Without
 * forkguard the child blocks for ever. Args: how long the parent waits for the child (ms), and
 * "timed" to use tryLock(1 s) instead of lock(). The child exits 0 if it got the lock, 3 if a timed
 * acquisition timed out, 42 if an Error came out of the acquisition. With "fillHeap" the parent fills
 * its heap to about 90% before forking, so the child's own allocations have little room.
 */
public final class OrphanedLockChildApp {

    /** Kept reachable so that the heap stays full. */
    static final java.util.List<byte[]> BALLAST = new java.util.ArrayList<>();

    private OrphanedLockChildApp() {}

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
        ReentrantLock inventoryLock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            inventoryLock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inventoryLock.unlock();
            }
        }, "inventory-writer");
        holder.start();
        held.await();
        // Code a child runs must have run in the parent first: its call sites and fields are resolved
        // here, not in the child, where the JVM's own mutexes may be held by vanished threads (seen:
        // resolving TimeUnit.SECONDS first in the child hung in SystemDictionary::add_loader_constraint).
        TimeUnit second = TimeUnit.SECONDS;
        if (inventoryLock.tryLock(1, TimeUnit.MILLISECONDS)) {
            inventoryLock.unlock();
        }

        int child = Libc.fork();
        if (child == 0) {
            try {
                if (timed) {
                    Libc._exit(inventoryLock.tryLock(1, second) ? 0 : 3);
                }
                inventoryLock.lock();
                Libc._exit(0);
            } catch (Error e) {
                Libc._exit(42);
            } catch (InterruptedException e) {
                Libc._exit(4);
            }
        }
        System.out.println("app: forked child " + child);
        ChildWaits.awaitOrKill(child, waitMillis);
        release.countDown();
        holder.join();
    }
}
