package dev.forkguard.bench.subject;

import dev.forkguard.probe.AtforkRegistrar;
import dev.forkguard.probe.Libc;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forks itself again and again, the child calling {@code _exit} at once, and reports how long each
 * {@code fork()} took in the parent: the pause the application sees, including any fork handlers.
 *
 * <p>Between forks it settles: a fork write-protects every page of the parent, so the first writes
 * after it (a safepoint, a GC) take copy-on-write faults even once the child is gone. A tight fork
 * loop charges those faults to the next fork's prepare handler (measured: first VM operation after a
 * fork 3.4 ms instead of 0.4 ms). And with the agent, each fork leaves work behind (the report, the
 * watchdog) that would compete with the next fork for the two cores. So each fork is preceded by a
 * pause, a full GC, a second pause, and a wait until no other thread of this JVM is running, in both
 * runs alike, as an application that forks now and then would be.
 *
 * <p>Arguments: application threads, locks, warm-up forks, measured forks, settle milliseconds, and
 * optionally {@value #EMPTY_HANDLERS}: register two fork handlers that do nothing, through JNA as the
 * agent does, to measure the floor of a handler written in Java.
 */
public final class ForkPauseTarget {

    public static final String EMPTY_HANDLERS = "emptyHandlers";

    /** Longest wait for the JVM's other threads to stop running before a fork. */
    private static final long QUIET_BOUND_MILLIS = 2000;

    private ForkPauseTarget() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int lockCount = Integer.parseInt(args[1]);
        int warmUp = Integer.parseInt(args[2]);
        int measured = Integer.parseInt(args[3]);
        long settleMillis = Long.parseLong(args[4]);
        Libc.bind();
        if (args.length > 5 && EMPTY_HANDLERS.equals(args[5])) {
            AtforkRegistrar.register(() -> { }, () -> { });
        }
        Thread[] parked = TargetSupport.parkedThreads(threads);
        ReentrantLock[] locks = new ReentrantLock[lockCount];
        for (int i = 0; i < lockCount; i++) {
            locks[i] = new ReentrantLock();
        }
        long[] pauses = new long[warmUp + measured];
        // The forking thread's own CPU time over the fork (user and kernel): the rest of the pause it waited.
        long[] cpu = new long[warmUp + measured];
        ThreadMXBean cpuClock = ManagementFactory.getThreadMXBean();
        int[] status = new int[1];
        int unquiet = 0;
        for (int i = 0; i < pauses.length; i++) {
            Thread.sleep(settleMillis);
            System.gc();
            Thread.sleep(settleMillis);
            if (!ThreadActivity.awaitQuiet(Libc.gettid(), QUIET_BOUND_MILLIS) && i >= warmUp) {
                unquiet++;
            }
            long cpuStart = cpuClock.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            int pid = Libc.fork();
            if (pid == 0) {
                Libc._exit(0);
            }
            long end = System.nanoTime();
            long cpuEnd = cpuClock.getCurrentThreadCpuTime();
            if (pid < 0) {
                throw new IllegalStateException("fork failed");
            }
            Libc.waitpid(pid, status, 0);
            pauses[i] = end - start;
            cpu[i] = cpuEnd - cpuStart;
        }
        TargetSupport.result("unquietForks", unquiet);
        TargetSupport.result("osThreads", TargetSupport.osThreads());
        TargetSupport.result("javaVersion", System.getProperty("java.runtime.version"));
        TargetSupport.result("firstForkNanos", pauses[0]);
        long[] kept = new long[measured];
        System.arraycopy(pauses, warmUp, kept, 0, measured);
        TargetSupport.result("forkNanos", kept);
        System.arraycopy(cpu, warmUp, kept, 0, measured);
        TargetSupport.result("forkCpuNanos", kept);
        Reference.reachabilityFence(locks);
        Reference.reachabilityFence(parked);
    }
}
