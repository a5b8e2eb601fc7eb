package dev.forkguard.agent.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.Libc;
import dev.forkguard.probe.proc.TaskSyscall;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In this JVM: a thread waiting for a monitor is recognised from its stack before JDK 24 (a timed park);
 * from JDK 24 its wait has no time-out at all. A sleeping thread is never taken for one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorEnterWaitTest {

    @BeforeAll
    static void bind() throws Exception {
        Libc.bind();
    }

    /** Starts {@code body} on a thread and returns its task once it blocks in futex. */
    private static TaskSyscall blockedTask(Thread[] thread, Runnable body) throws Exception {
        int[] tid = new int[1];
        thread[0] = new Thread(() -> {
            tid[0] = Libc.gettid();
            body.run();
        });
        thread[0].setDaemon(true);
        thread[0].start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            TaskSyscall s = tid[0] == 0 ? null : TaskSyscall.ofTask(Libc.getpid(), tid[0]);
            if (s != null && s.number() == SyscallTable.CURRENT.futex) {
                Thread.sleep(50);
                return TaskSyscall.ofTask(Libc.getpid(), tid[0]);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the thread never blocked in futex");
    }

    @Test
    void aThreadWaitingForAMonitorMatchesAndASleepingOneDoesNot() throws Exception {
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.setDaemon(true);
        holder.start();
        held.await();
        Thread[] waiter = new Thread[1];
        Thread[] sleeper = new Thread[1];
        try {
            TaskSyscall entering = blockedTask(waiter, () -> {
                synchronized (monitor) {
                    monitor.hashCode();
                }
            });
            TaskSyscall sleeping = blockedTask(sleeper, () -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    // ended by the test
                }
            });
            if (Runtime.version().feature() >= 24) {
                // Monitors park with no time-out here: the wait is recognised as it is, nothing is learnt.
                assertThat(entering.arg(3)).as(entering.toString()).isZero();
                assertThat(MonitorEnterWait.matches(Libc.getpid(), entering.stackPointer())).as(entering.toString())
                        .isFalse();
            } else {
                assertThat(MonitorEnterWait.matches(Libc.getpid(), entering.stackPointer())).as(entering.toString())
                        .isTrue();
            }
            assertThat(MonitorEnterWait.matches(Libc.getpid(), sleeping.stackPointer())).as(sleeping.toString()).isFalse();
        } finally {
            release.countDown();
            if (sleeper[0] != null) {
                sleeper[0].interrupt();
            }
        }
    }
}
