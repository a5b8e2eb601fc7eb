package dev.forkguard.bench.subject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

/** What the harness targets share: result lines, parked threads, heap and RSS readings. */
final class TargetSupport {

    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private TargetSupport() {
    }

    static void result(String name, Object value) {
        System.out.println("RESULT " + name + " " + value);
    }

    static void result(String name, long[] values) {
        StringBuilder b = new StringBuilder();
        for (long v : values) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(v);
        }
        result(name, b);
    }

    /** Starts {@code count} daemon threads that park for ever, and waits until each has parked. */
    static Thread[] parkedThreads(int count) throws InterruptedException {
        Thread[] threads = new Thread[count];
        CountDownLatch started = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            threads[i] = new Thread(() -> {
                started.countDown();
                awaitNever();
            }, "parked-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        started.await();
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
        return threads;
    }

    static void awaitNever() {
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap in use after full collections, once the agent's start-up work (if any) has settled. */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size in bytes, from /proc/self/status. */
    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    static int osThreads() {
        String[] tasks = new java.io.File("/proc/self/task").list();
        return tasks == null ? -1 : tasks.length;
    }
}
