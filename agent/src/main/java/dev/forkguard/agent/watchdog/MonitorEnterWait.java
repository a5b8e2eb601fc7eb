package dev.forkguard.agent.watchdog;

import dev.forkguard.probe.Libc;
import dev.forkguard.probe.proc.ProcessMemory;
import dev.forkguard.probe.proc.TaskSyscall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Recognises a JVM thread waiting to enter a monitor ({@code synchronized}) from the return addresses
 * on its stack. HotSpot before JDK 24 parks the first thread waiting for a monitor with a time-out and
 * re-checks the monitor about once a second: from {@code /proc} that is a timed futex wait, like a
 * sleep. In a child whose every task is blocked, nobody can ever release that monitor, so the wait is
 * as final as an untimed one.
 *
 * <p>The addresses are learnt once, on first need, in this JVM (the child maps libjvm where its parent
 * does): a thread is made to wait for a monitor, another to sleep, another to park with a time-out;
 * the words on the first one's stack that point into libjvm's code and appear on neither of the others'
 * are the monitor-enter path's return addresses. Where monitors park with no time-out (JDK 24+), the
 * timed shape is not found and nothing is learnt: the untimed wait is recognised as it is.
 */
final class MonitorEnterWait {

    /** Bytes of stack read above the stack pointer: the park and monitor-enter frames lie within them. */
    private static final int STACK_WORDS = 128;
    private static final long[] NONE = new long[0];

    /** Null until learnt; empty when they could not be learnt. Watchdog thread only. */
    private static long[] signature;
    /** The return address into the JVM's park, the innermost libjvm frame of both a monitor wait and a sleep. */
    private static long parkReturn;
    private static long[] libjvm;

    private MonitorEnterWait() {}

    /**
     * True when the task of {@code pid} blocked with stack pointer {@code sp} waits to enter a monitor:
     * on its stack, the first libjvm word after the return into the JVM's park is one only the
     * monitor-enter path has. Words left over from earlier calls could otherwise match; taken in this
     * order they are the live frames of the wait.
     */
    static boolean matches(int pid, long sp) {
        if (sp == 0) {
            return false;
        }
        if (signature == null) {
            signature = learn();
        }
        if (signature.length == 0) {
            return false;
        }
        boolean afterPark = false;
        for (long word : ProcessMemory.words(pid, sp, STACK_WORDS)) {
            if (word < libjvm[0] || word >= libjvm[1]) {
                continue;
            }
            if (afterPark) {
                for (long s : signature) {
                    if (word == s) {
                        return true;
                    }
                }
                return false;
            }
            afterPark = word == parkReturn;
        }
        return false;
    }

    private static long[] learn() {
        try {
            int self = Libc.getpid();
            libjvm = ProcessMemory.executableMapping(self, "/libjvm.so");
            if (libjvm == null) {
                return NONE;
            }
            List<Long> monitor = codeWords(self, Waiter.MONITOR);
            List<Long> sleep = codeWords(self, Waiter.SLEEP);
            if (monitor.size() < 2 || sleep.isEmpty() || !monitor.get(0).equals(sleep.get(0))) {
                return NONE; // not the shape this recognition knows (e.g. monitors park without a time-out)
            }
            parkReturn = monitor.get(0);
            Set<Long> unique = new LinkedHashSet<>(monitor);
            unique.removeAll(sleep);
            unique.removeAll(codeWords(self, Waiter.PARK));
            long[] out = new long[unique.size()];
            int i = 0;
            for (Long w : unique) {
                out[i++] = w;
            }
            return out;
        } catch (RuntimeException | InterruptedException e) {
            return NONE;
        }
    }

    private enum Waiter { MONITOR, SLEEP, PARK }

    /**
     * The words pointing into libjvm's code on the stack of a thread blocked the given way, innermost
     * first; empty if not seen.
     */
    private static List<Long> codeWords(int self, Waiter kind) throws InterruptedException {
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int[] tid = new int[1];
        Thread holder = null;
        if (kind == Waiter.MONITOR) {
            holder = new Thread(() -> {
                synchronized (monitor) {
                    held.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "forkguard-learn-holder");
            holder.setDaemon(true);
            holder.start();
            held.await(5, TimeUnit.SECONDS);
        }
        Thread waiter = new Thread(() -> {
            tid[0] = Libc.gettid();
            if (kind == Waiter.MONITOR) {
                synchronized (monitor) {
                    tid[0] = -1;
                }
            } else if (kind == Waiter.SLEEP) {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    // woken by the learner
                }
            } else {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            }
        }, "forkguard-learn-waiter");
        waiter.setDaemon(true);
        waiter.start();
        List<Long> words = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                int t = tid[0];
                if (t > 0) {
                    TaskSyscall s = TaskSyscall.ofTask(self, t);
                    if (s != null && s.number() == SyscallTable.CURRENT.futex) {
                        Thread.sleep(20); // settled in the wait, not passing through a futex on the way
                        s = TaskSyscall.ofTask(self, t);
                        if (s != null && s.number() == SyscallTable.CURRENT.futex) {
                            for (long w : ProcessMemory.words(self, s.stackPointer(), STACK_WORDS)) {
                                if (w >= libjvm[0] && w < libjvm[1]) {
                                    words.add(w);
                                }
                            }
                            return words;
                        }
                    }
                }
                Thread.sleep(2);
            }
            return words;
        } finally {
            release.countDown();
            waiter.interrupt();
            LockSupport.unpark(waiter);
            waiter.join(5000);
            if (holder != null) {
                holder.join(5000);
            }
        }
    }
}
