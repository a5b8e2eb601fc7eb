package dev.forkguard.bench.subject;

import dev.forkguard.probe.JsonThreadDump;
import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forks with virtual threads alive (JDK 21+, reached by reflection: this module is Java 17): a
 * virtual-thread-per-task executor runs N parked tasks, and one more virtual thread holds a
 * ReentrantLock. Each fork's child calls {@code _exit} at once; before each fork the target settles
 * as {@link ForkPauseTarget} does, and waits until the agent's report of the previous fork is on disk
 * (when given a report directory), so a fork never competes with the reporting of the one before.
 *
 * <p>Arguments: virtual threads, warm-up forks, measured forks, settle milliseconds, the report
 * directory or "-", and optionally {@value #DUMP_EACH_FORK}.
 */
public final class VirtualThreadForkTarget {

    private static final long REPORT_BOUND_MILLIS = 120_000;
    /** Last argument: without the agent, make one dumpThreads(JSON) after each fork, as the agent does. */
    public static final String DUMP_EACH_FORK = "dumpEachFork";

    private VirtualThreadForkTarget() {
    }

    public static void main(String[] args) throws Exception {
        int virtual = Integer.parseInt(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        long settleMillis = Long.parseLong(args[3]);
        java.nio.file.Path reports = "-".equals(args[4]) ? null : java.nio.file.Paths.get(args[4]);
        boolean dumpEachFork = args.length > 5 && DUMP_EACH_FORK.equals(args[5]);
        Libc.bind();
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        CountDownLatch started = new CountDownLatch(virtual + 1);
        ReentrantLock lock = new ReentrantLock();
        executor.submit(() -> {
            lock.lock();
            started.countDown();
            never.await();
            return null;
        });
        for (int i = 0; i < virtual; i++) {
            executor.submit(() -> {
                started.countDown();
                never.await();
                return null;
            });
        }
        started.await();
        long[] pauses = new long[warmUp + measured];
        long[] reportNanos = new long[warmUp + measured];
        int[] status = new int[1];
        for (int i = 0; i < pauses.length; i++) {
            Thread.sleep(settleMillis);
            System.gc();
            Thread.sleep(settleMillis);
            long start = System.nanoTime();
            int pid = Libc.fork();
            if (pid == 0) {
                Libc._exit(0);
            }
            long end = System.nanoTime();
            if (pid < 0) {
                throw new IllegalStateException("fork failed");
            }
            Libc.waitpid(pid, status, 0);
            pauses[i] = end - start;
            if (reports != null) {
                reportNanos[i] = awaitReport(reports, i + 1, start);
            }
            if (dumpEachFork) {
                dumpThreads();
            }
        }
        TargetSupport.result("javaVersion", System.getProperty("java.runtime.version"));
        // A fork copies the page tables of what is resident: the pause follows the RSS.
        TargetSupport.result("rssBytes", TargetSupport.rssBytes());
        long[] kept = new long[measured];
        System.arraycopy(pauses, warmUp, kept, 0, measured);
        TargetSupport.result("forkNanos", kept);
        System.arraycopy(reportNanos, warmUp, kept, 0, measured);
        TargetSupport.result("forkToReportNanos", kept);
        executor.shutdownNow();
        executor.awaitTermination(60, TimeUnit.SECONDS);
    }

    /** What the agent does after each fork, done by the application itself: one dumpThreads(JSON). */
    private static void dumpThreads() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("forkguard-bench-dump-");
        java.nio.file.Path file = dir.resolve("threads.json");
        JsonThreadDump dump = JsonThreadDump.find();
        if (dump == null) {
            throw new IllegalStateException("no HotSpotDiagnosticMXBean.dumpThreads (JDK 21+ needed)");
        }
        dump.writeTo(file);
        java.nio.file.Files.delete(file);
        java.nio.file.Files.delete(dir);
    }

    /** Waits for fork {@code sequence}'s JSON report; returns the time from the fork to seeing it. */
    private static long awaitReport(java.nio.file.Path dir, int sequence, long forkNanos) throws Exception {
        String suffix = "-" + sequence + ".json";
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPORT_BOUND_MILLIS);
        while (System.nanoTime() < deadline) {
            String[] names = dir.toFile().list();
            if (names != null) {
                for (String n : names) {
                    if (n.startsWith("forkguard-") && n.endsWith(suffix)) {
                        return System.nanoTime() - forkNanos;
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no report for fork #" + sequence + " within " + REPORT_BOUND_MILLIS + " ms");
    }
}
