package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A thread holds a ReentrantLock; main forks; the child takes the lock, as real code would. Without
 * forkguard the child blocks for ever. Args: how long the parent waits for the child (ms), and
 * "timed" to use tryLock(1 s) instead of lock(). The child exits 0 if it got the lock, 3 if a timed
 * acquisition timed out, 42 if an Error came out of the acquisition.
 */
public final class OrphanedLockChildApp {

    private OrphanedLockChildApp() {}

    public static void main(String[] args) throws Exception {
        long waitMillis = Long.parseLong(args[0]);
        boolean timed = args.length > 1 && "timed".equals(args[1]);
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
