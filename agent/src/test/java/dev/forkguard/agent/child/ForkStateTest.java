package dev.forkguard.agent.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.bridge.ForkguardBridge;
import dev.forkguard.bridge.ForkguardHooks;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import dev.forkguard.probe.Libc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fork-in-flight count, the per-fork facts a child checks, and the forking thread's state made before the fork. */
class ForkStateTest {

    @BeforeAll
    static void thisJvmIsTheParent() throws Exception {
        Libc.bind();
        ForkState.init(Libc.getpid());
    }


    @Test
    void aForkInFlightStaysVisibleWhileAnotherThreadsForkEnds() throws Exception {
        // With a flag, one thread's parent handler could clear the flag another's prepare handler had
        // just set (read count 0, then write false after the other wrote true).
        final int threads = 4;
        final int forks = 100_000;
        final AtomicLong lost = new AtomicLong();
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            all[t] = new Thread(() -> {
                for (int i = 0; i < forks; i++) {
                    ForkState.forkStarting();
                    if (!ForkguardBridge.forkInFlight()) {
                        lost.incrementAndGet();
                    }
                    ForkState.forkDone();
                }
            });
            all[t].start();
        }
        for (Thread t : all) {
            t.join();
        }
        assertThat(lost.get()).isZero();
        assertThat(ForkguardBridge.forkInFlight()).isFalse();
    }

    @Test
    void eachForkingThreadKeepsItsOwnFactsAndOthersKeepNone() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicReference<Thread> a = new AtomicReference<>();
        AtomicReference<Thread> b = new AtomicReference<>();
        Thread forkA = forker("facts of A", bothStarted, checked);
        Thread forkB = forker("facts of B", bothStarted, checked);
        a.set(forkA);
        b.set(forkB);
        forkA.start();
        forkB.start();
        assertThat(bothStarted.await(30, TimeUnit.SECONDS)).isTrue();
        // A status query or the warm-up: not in a prepare handler, so it keeps nothing.
        ForkState.keepForChild("facts of a status query");

        assertThat(ForkState.factsOf(a.get())).isEqualTo("facts of A");
        assertThat(ForkState.factsOf(b.get())).isEqualTo("facts of B");
        // A thread of the child other than the forking one cannot tell which of two forks made it.
        assertThat(ForkState.factsOf(Thread.currentThread())).isNull();
        checked.countDown();
        forkA.join();
        forkB.join();
        assertThat(ForkState.factsOf(a.get())).isNull();
    }

    private static Thread forker(String facts, CountDownLatch started, CountDownLatch checked) {
        return new Thread(() -> {
            ForkState.forkStarting();
            ForkState.keepForChild(facts);
            started.countDown();
            try {
                checked.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ForkState.forkDone();
        });
    }

    @Test
    void theOnlyForkInFlightIsFoundByAnyThread() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread fork = forker("the only fork's facts", started, checked);
        fork.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ForkState.factsOf(Thread.currentThread())).isEqualTo("the only fork's facts");
        checked.countDown();
        fork.join();
    }

    @Test
    void aForkingThreadEntersTheBridgeWithoutAllocatingAfterItsPrepareHandler() throws Exception {
        ForkguardBridge.install(new NoOpHooks());
        ReentrantLock lock = new ReentrantLock();
        ForkguardBridge.lockAcquiring(lock, lock, false); // links the path once, as the agent's warm-up does
        long[] fresh = allocatedByFirstHookCall(false, lock);
        long[] forking = allocatedByFirstHookCall(true, lock);
        // The measurement can see the guard being made: a thread new to the bridge allocates it.
        assertThat(fresh[1]).as("bytes a fresh thread allocates entering the bridge").isGreaterThan(fresh[0]);
        assertThat(forking[1]).as("bytes the forking thread allocates entering the bridge").isEqualTo(forking[0]);
    }

    /** In a new thread: {bytes allocated measuring nothing, bytes allocated by its first hook call}. */
    private static long[] allocatedByFirstHookCall(boolean forkStartedFirst, ReentrantLock lock) throws Exception {
        long[] out = new long[2];
        Thread t = new Thread(() -> {
            com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            if (forkStartedFirst) {
                ForkState.forkStarting();
            }
            bean.getCurrentThreadAllocatedBytes();
            long a = bean.getCurrentThreadAllocatedBytes();
            long b = bean.getCurrentThreadAllocatedBytes();
            ForkguardBridge.lockAcquiring(lock, lock, false);
            long c = bean.getCurrentThreadAllocatedBytes();
            if (forkStartedFirst) {
                ForkState.forkDone();
            }
            out[0] = b - a;
            out[1] = c - b;
        });
        t.start();
        t.join();
        return out;
    }

    private static final class NoOpHooks implements ForkguardHooks {
        @Override
        public void threadStarting(Thread thread) {}

        @Override
        public void lockCreated(Object lock, Object synchronizer) {}

        @Override
        public void executorCreated(Object executor) {}

        @Override
        public void workerCreated(Object executor, Thread worker) {}

        @Override
        public void lockAcquiring(Object lock, Object synchronizer, boolean timed) {}
    }
}
