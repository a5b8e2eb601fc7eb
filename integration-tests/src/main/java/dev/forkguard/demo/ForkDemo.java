package dev.forkguard.demo;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The demo: a JVM with a lock holder, a monitor holder and a thread pool forks without exec, the
 * way a JNI library or an embedding host would. The child exits at once (it calls nothing but
 * {@code _exit}); run under forkguard, the parent's log shows what the child would have lost.
 */
public final class ForkDemo {

    private ForkDemo() {}

    public static void main(String[] args) throws Exception {
        Libc.bind();
        ReentrantLock cacheLock = new ReentrantLock();
        Object registry = new Object();
        CountDownLatch held = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);

        Thread refresher = new Thread(() -> {
            cacheLock.lock();
            try {
                held.countDown();
                awaitQuietly(release);
            } finally {
                cacheLock.unlock();
            }
        }, "cache-refresher");
        refresher.start();

        Thread writer = new Thread(() -> {
            synchronized (registry) {
                held.countDown();
                awaitQuietly(release);
            }
        }, "registry-writer");
        writer.start();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 2; i++) {
            pool.submit(() -> {
                held.countDown();
                awaitQuietly(release);
            });
        }
        held.await();

        int parent = Libc.getpid();
        System.out.println("demo: pid " + parent + " forks without exec while \"cache-refresher\" holds a "
                + "ReentrantLock and \"registry-writer\" a monitor");
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0); // the child: nothing else, Java code here could hang
        }
        // Keep the child a zombie for a moment so the report can name it, then reap it.
        Thread.sleep(1000);
        int[] status = new int[1];
        // Even a child that only calls _exit can hang: a safepoint requested at fork time (JFR asks
        // for them often) is never released in it. Wait 10 s at most, then SIGKILL, which it cannot ignore.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Libc.waitpid(child, status, Libc.WNOHANG) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (System.nanoTime() >= deadline && Libc.waitpid(child, status, Libc.WNOHANG) == 0) {
            Libc.kill(child, Libc.SIGKILL);
            Libc.waitpid(child, status, 0);
            System.out.println("demo: child " + child + " hung for 10 s: killed it with SIGKILL");
        } else {
            System.out.println("demo: child " + child + " exited with code " + Libc.exitCode(status[0]));
        }
        release.countDown();
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        refresher.join();
        writer.join();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
