package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;

/**
 * A thread ("ledger-writer") holds a monitor ({@code synchronized}) and main forks; the child enters
 * the same monitor, as real code would, and blocks for ever: the holder does not exist in the child,
 * and forkguard's child-side check covers java.util.concurrent locks, not monitors. The parent waits
 * for the child up to the given time (ms), then kills it, and prints how and when the child ended
 * after the fork.
 */
public final class MonitorHangApp {

    private static final Object LEDGER = new Object();

    private MonitorHangApp() {}

    public static void main(String[] args) throws Exception {
        long waitMillis = Long.parseLong(args[0]);
        Libc.bind();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (LEDGER) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "ledger-writer");
        holder.start();
        held.await();
        System.out.println("app: ready " + Libc.getpid());
        long forkNanos = System.nanoTime();
        int child = Libc.fork();
        if (child == 0) {
            synchronized (LEDGER) {
                Libc._exit(0);
            }
        }
        System.out.println("app: forked child " + child);
        int[] status = new int[1];
        if (ChildWaits.exitsWithin(child, waitMillis, status)) {
            long millis = (System.nanoTime() - forkNanos) / 1_000_000;
            System.out.println("app: child " + child + (Libc.signaled(status[0])
                    ? " ended by signal " + Libc.termSignal(status[0]) : " exited with code " + Libc.exitCode(status[0]))
                    + " " + millis + " ms after the fork");
        } else {
            System.out.println("app: child " + child + " still running after " + waitMillis + " ms: killed with SIGKILL");
        }
        release.countDown();
        holder.join();
        Thread.sleep(300);
    }
}
