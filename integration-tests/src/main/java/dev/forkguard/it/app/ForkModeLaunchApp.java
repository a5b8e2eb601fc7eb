package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.locks.ReentrantLock;

/**
 * While a thread holds a lock, launches a program N times with ProcessBuilder (run it with
 * -Djdk.lang.Process.launchMechanism=FORK: fork, then exec), then forks once without exec.
 * Args: launches, program, and optionally milliseconds between launches (default 0). Prints the
 * mean launch time (the gaps excluded).
 */
public final class ForkModeLaunchApp {

    private ForkModeLaunchApp() {}

    public static void main(String[] args) throws Exception {
        int launches = Integer.parseInt(args[0]);
        String program = args[1];
        long gapMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Libc.bind();
        ReentrantLock lock = new ReentrantLock();
        LockHolder holder = LockHolder.hold(lock, "lock-holder");

        int failures = 0;
        long busyNanos = 0;
        for (int i = 0; i < launches; i++) {
            if (gapMillis > 0) {
                Thread.sleep(gapMillis);
            }
            long start = System.nanoTime();
            Process p = new ProcessBuilder(program).start();
            failures += p.waitFor() == 0 ? 0 : 1;
            busyNanos += System.nanoTime() - start;
        }
        long meanMicros = busyNanos / 1000 / Math.max(1, launches);
        System.out.println("app: " + launches + " launches of " + program + ", " + failures + " failed, mean "
                + meanMicros + " us (launchMechanism=" + System.getProperty("jdk.lang.Process.launchMechanism")
                + ")");

        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 2000);
        Thread.sleep(300); // lets the agent's reporter finish before the JVM exits
        holder.release();
    }
}
