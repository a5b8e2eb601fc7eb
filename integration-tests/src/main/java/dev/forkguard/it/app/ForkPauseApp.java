package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Times {@code fork()} as the forking thread sees it, with a given number of parked threads; the
 * child exits at once (one that hangs is killed after 2 s). Args: threads, forks, and optionally the milliseconds to wait between forks
 * (default 0). Prints the median and 90th percentile in microseconds.
 * Run with and without the agent, side by side, to see what the prepare handler adds.
 */
public final class ForkPauseApp {

    private ForkPauseApp() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int forks = Integer.parseInt(args[1]);
        long gapMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Libc.bind();
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "parked-" + i);
            t.setDaemon(true);
            t.start();
        }
        long[] micros = new long[forks];
        int[] status = new int[1];
        for (int i = 0; i < forks + 20; i++) {
            long start = System.nanoTime();
            int child = Libc.fork();
            if (child == 0) {
                Libc._exit(0);
            }
            long elapsed = System.nanoTime() - start;
            // Bounded: a forked JVM child can hang before its first Java step (see docs/RELIABILITY.md).
            ChildWaits.exitsWithin(child, 2000, status);
            if (gapMillis > 0) {
                Thread.sleep(gapMillis);
            }
            if (i >= 20) {
                micros[i - 20] = elapsed / 1000; // the first 20 warm up
            }
        }
        Arrays.sort(micros);
        System.out.println("fork-pause threads=" + threads + " forks=" + forks + " median_us=" + micros[forks / 2]
                + " p90_us=" + micros[forks * 9 / 10]);
        release.countDown();
    }
}
