package dev.forkguard.bench.subject;

import dev.forkguard.probe.Libc;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;

/**
 * Times, without the agent and after the same settling as {@link ForkPauseTarget}, the two JVM
 * calls the agent's fork snapshot is built on: a thread dump with held monitors and stacks 32 frames
 * deep (one safepoint), and the listing of /proc/self/task. It shows how much of the added fork
 * pause those alone explain at each thread count.
 *
 * <p>Arguments: application threads, warm-up rounds, measured rounds, settle milliseconds.
 */
public final class SnapshotCostTarget {

    /** The agent's default {@code stackDepth}. */
    private static final int STACK_DEPTH = 32;

    private SnapshotCostTarget() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        long settleMillis = Long.parseLong(args[3]);
        Libc.bind();
        Thread[] parked = TargetSupport.parkedThreads(threads);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long[] dumps = new long[measured];
        long[] listings = new long[measured];
        int sink = 0;
        for (int i = 0; i < warmUp + measured; i++) {
            Thread.sleep(settleMillis);
            System.gc();
            Thread.sleep(settleMillis);
            ThreadActivity.awaitQuiet(Libc.gettid(), 2000);
            long t0 = System.nanoTime();
            sink += bean.dumpAllThreads(true, false, STACK_DEPTH).length;
            long t1 = System.nanoTime();
            String[] tasks = new java.io.File("/proc/self/task").list();
            long t2 = System.nanoTime();
            sink += tasks == null ? 0 : tasks.length;
            if (i >= warmUp) {
                dumps[i - warmUp] = t1 - t0;
                listings[i - warmUp] = t2 - t1;
            }
        }
        TargetSupport.result("dumpNanos", dumps);
        TargetSupport.result("listNanos", listings);
        TargetSupport.result("sink", sink);
        Reference.reachabilityFence(parked);
    }
}
