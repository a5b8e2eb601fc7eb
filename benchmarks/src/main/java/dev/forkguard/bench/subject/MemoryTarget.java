package dev.forkguard.bench.subject;

import java.lang.ref.Reference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Heap after full GC before and after one of: {@code locks N} (N live ReentrantLocks kept),
 * {@code threads N} (N live parked threads), {@code churn N} (N short-lived locks, each taken once
 * and dropped, for at most the fourth argument's seconds); the third argument is the idle time before
 * the baseline, ms; the fifth the stack depth the locks are made at (frames of this class below the
 * {@code new}); the sixth how long to wait after the scenario before the last full GCs, ms. Run with
 * and without the agent, the difference is what the agent keeps.
 */
public final class MemoryTarget {

    private MemoryTarget() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        int depth = Integer.parseInt(args[4]);
        long settleMillis = Long.parseLong(args[5]);
        // The agent's start-up work (warm-up, its threads) finishes before the baseline.
        Thread.sleep(Long.parseLong(args[2]));
        long heapBefore = TargetSupport.heapAfterGc();
        long rssBefore = TargetSupport.rssBytes();
        Object kept = null;
        long created = n;
        long start = System.nanoTime();
        switch (mode) {
            case "locks":
                ReentrantLock[] locks = new ReentrantLock[n];
                makeLocksAtDepth(locks, depth);
                kept = locks;
                break;
            case "threads":
                kept = TargetSupport.parkedThreads(n);
                break;
            case "churn":
                // Bounded in time: with the agent this can be slower by orders of magnitude (GC of what it keeps).
                long deadline = start + Long.parseLong(args[3]) * 1_000_000_000L;
                for (int i = 0; i < n; i++) {
                    ReentrantLock lock = new ReentrantLock();
                    lock.lock();
                    lock.unlock();
                    created = i + 1;
                    if ((i & 0xFFFF) == 0 && System.nanoTime() > deadline) {
                        break;
                    }
                }
                break;
            default:
                throw new IllegalArgumentException("mode: locks, threads or churn, not " + mode);
        }
        long elapsed = System.nanoTime() - start;
        // The collector clears the registry's weak entries; the agent's background thread drops them
        // (and what they hold) once a second; the next collection frees that. Both sides wait alike.
        TargetSupport.heapAfterGc();
        Thread.sleep(settleMillis);
        long heapAfter = TargetSupport.heapAfterGc();
        long rssAfter = TargetSupport.rssBytes();
        TargetSupport.result("heapBefore", heapBefore);
        TargetSupport.result("heapAfter", heapAfter);
        TargetSupport.result("rssBefore", rssBefore);
        TargetSupport.result("rssAfter", rssAfter);
        TargetSupport.result("elapsedNanos", elapsed);
        TargetSupport.result("created", created);
        Reference.reachabilityFence(kept);
    }

    /** Fills {@code locks} from {@code depth} frames of this method (a Spring-sized stack at 150). */
    private static void makeLocksAtDepth(ReentrantLock[] locks, int depth) {
        if (depth > 1) {
            makeLocksAtDepth(locks, depth - 1);
            return;
        }
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }
}
