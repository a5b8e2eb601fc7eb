package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * Forks from several threads at once: each thread "forker-N" waits at a common barrier before each
 * fork, so the forks overlap, and prints one line per child it reaped. Args: threads, forks per thread.
 *
 * <p>A child forked while another thread of the JVM is mid-way through something the child needs
 * (a safepoint, a JVM lock) can hang before its first Java step, with or without forkguard: such a
 * child is killed after two seconds and counted as "killed".
 */
public final class ConcurrentForksApp {

    private ConcurrentForksApp() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int forks = Integer.parseInt(args[1]);
        Libc.bind();
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Thread> forkers = new ArrayList<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    for (int f = 0; f < forks; f++) {
                        together.await();
                        int child = Libc.fork();
                        if (child == 0) {
                            Libc._exit(0);
                        }
                        boolean exited = ChildWaits.exitsWithin(child, 2000, new int[1]);
                        lines.add("app: " + Thread.currentThread().getName() + " forked child " + child
                                + (exited ? " (exited)" : " (killed)"));
                    }
                } catch (Exception e) {
                    lines.add("app: " + Thread.currentThread().getName() + " failed: " + e);
                }
            }, "forker-" + i);
            forkers.add(t);
            t.start();
        }
        for (Thread t : forkers) {
            t.join();
        }
        for (String line : lines) {
            System.out.println(line);
        }
    }
}
