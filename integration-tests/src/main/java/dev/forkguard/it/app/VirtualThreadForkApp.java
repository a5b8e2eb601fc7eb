package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual threads at a fork (JDK 21+; reached by reflection, since the test applications are
 * compiled for Java 17). A virtual thread "vt-inventory" takes a ReentrantLock and parks; another,
 * "vt-ledger", sleeps inside {@code synchronized}; with "tasks=N", a virtual-thread-per-task
 * executor runs N parked tasks. Then a thread forks: main, or with "fromVirtual" the virtual thread
 * "vt-forker". The child takes the ReentrantLock and exits 0 if it got it, 42 if an Error came out
 * of the acquisition; with "exitAtOnce" it exits 0 without taking it. Arg 0: how long the parent
 * waits for the child (ms) before SIGKILL. With "awaitReport=DIR" every thread stays alive until a
 * JSON report appears in DIR (up to 120 s).
 */
public final class VirtualThreadForkApp {

    private static final Object LEDGER = new Object();

    private VirtualThreadForkApp() {}

    public static void main(String[] args) throws Exception {
        long waitMillis = Long.parseLong(args[0]);
        List<String> options = java.util.Arrays.asList(args);
        int tasks = 0;
        for (String o : options) {
            if (o.startsWith("tasks=")) {
                tasks = Integer.parseInt(o.substring("tasks=".length()));
            }
        }
        Libc.bind();
        ReentrantLock inventory = new ReentrantLock();
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        holders.add(startVirtual("vt-inventory", () -> {
            inventory.lock();
            try {
                holding.countDown();
                await(release);
            } finally {
                inventory.unlock();
            }
        }));
        holders.add(startVirtual("vt-ledger", () -> {
            synchronized (LEDGER) {
                holding.countDown();
                while (release.getCount() > 0) {
                    sleep(50);
                }
            }
        }));
        ExecutorService executor = null;
        if (tasks > 0) {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            CountDownLatch parked = new CountDownLatch(tasks);
            for (int i = 0; i < tasks; i++) {
                executor.submit(() -> {
                    parked.countDown();
                    await(release);
                });
            }
            parked.await();
        }
        holding.await();
        // Run in the parent what the child runs (docs/DESIGN.md, Child-safe code).
        TimeUnit second = TimeUnit.SECONDS;
        if (inventory.tryLock(1, TimeUnit.MILLISECONDS)) {
            inventory.unlock();
        }
        boolean exitAtOnce = options.contains("exitAtOnce");
        if (options.contains("fromVirtual")) {
            Thread forker = startVirtual("vt-forker", () -> forkAndWait(inventory, exitAtOnce, waitMillis));
            forker.join();
        } else {
            forkAndWait(inventory, exitAtOnce, waitMillis);
        }
        for (String o : options) {
            if (o.startsWith("awaitReport=")) {
                // Threads stay alive until the report is out: its listing of them is taken after the fork.
                awaitReport(java.nio.file.Paths.get(o.substring("awaitReport=".length())));
            }
        }
        release.countDown();
        for (Thread t : holders) {
            t.join();
        }
        if (executor != null) {
            executor.shutdown();
            executor.awaitTermination(60, second);
        }
        System.out.println("app: done");
    }

    private static void forkAndWait(ReentrantLock lock, boolean exitAtOnce, long waitMillis) {
        int child = Libc.fork();
        if (child == 0) {
            if (exitAtOnce) {
                Libc._exit(0);
            }
            try {
                lock.lock();
                Libc._exit(0);
            } catch (Error e) {
                Libc._exit(42);
            }
        }
        System.out.println("app: forked child " + child + " from "
                + (Thread.currentThread().getName().isEmpty() ? "?" : Thread.currentThread().getName()));
        try {
            ChildWaits.awaitOrKill(child, waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitReport(java.nio.file.Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.isDirectory(dir)) {
                try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
                    if (files.anyMatch(f -> f.getFileName().toString().matches("forkguard-.*\\.json"))) {
                        System.out.println("app: report written");
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        System.out.println("app: no report within 120 s");
    }

    static Thread startVirtual(String name, Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> type = Class.forName("java.lang.Thread$Builder");
        builder = type.getMethod("name", String.class).invoke(builder, name);
        return (Thread) type.getMethod("start", Runnable.class).invoke(builder, task);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
