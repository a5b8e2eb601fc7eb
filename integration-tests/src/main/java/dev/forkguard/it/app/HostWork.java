package dev.forkguard.it.app;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Java side of the host scenarios (Python with JPype, a C program over JNI): a pool at work and a thread holding a lock, as a host
 * program would have when it forks.
 */
public final class HostWork {

    private static ExecutorService pool;
    private static LockHolder holder;

    private HostWork() {}

    /** Starts four pool workers (busy on short tasks) and a thread holding a ReentrantLock. */
    public static void start() throws InterruptedException {
        pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            pool.submit(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        holder = LockHolder.hold(new ReentrantLock(), "model-cache-loader");
    }

    /** What a child does with Java: allocate many objects, as real work would. */
    public static long allocate(int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += new byte[1024].length;
        }
        return sum;
    }

    public static void stop() throws InterruptedException {
        pool.shutdownNow();
        holder.release();
    }
}
