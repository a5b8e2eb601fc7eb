package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.CountDownLatch;

/**
 * Forks while forkguard starts: as a {@code -javaagent} named before forkguard's, its premain starts
 * thread "early-forker", which forks every 20 ms (the child exits at once) while forkguard's premain
 * runs, up to 40 times; once {@code main} runs, it forks the given number of times more.
 * A child that does not exit within 300 ms (forked while the JVM was mid-safepoint, say) is killed
 * and counted. Arg of main: forks to make after main started.
 */
public final class EarlyForkAgent {

    private static final int EARLY_FORKS = 40;
    private static final CountDownLatch MAIN_STARTED = new CountDownLatch(1);
    private static volatile int more;
    private static volatile int forks;
    private static volatile int failures;
    private static volatile int killed;
    private static volatile int beforeMain = -1;
    private static Thread forker;

    private EarlyForkAgent() {}

    public static void premain(String args, Instrumentation inst) throws Exception {
        Libc.bind();
        forker = new Thread(() -> {
            try {
                while (forks < EARLY_FORKS && MAIN_STARTED.getCount() > 0) {
                    forkOnce();
                    Thread.sleep(20);
                }
                // Counted here, not in main: a fork in flight when main starts belongs to this loop.
                beforeMain = forks;
                MAIN_STARTED.await();
                for (int i = 0; i < more; i++) {
                    forkOnce();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "early-forker");
        forker.setDaemon(true);
        forker.start();
    }

    private static void forkOnce() throws InterruptedException {
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        if (child < 0) {
            failures++;
        } else if (!ChildWaits.exitsWithin(child, 300, new int[1])) {
            killed++; // hung before its first Java step: the JVM's hazard, with or without an agent
        }
        forks++;
    }

    public static void main(String[] args) throws Exception {
        more = Integer.parseInt(args[0]);
        MAIN_STARTED.countDown();
        forker.join();
        System.out.println("app: " + forks + " forks, " + beforeMain + " of them before main, " + failures
                + " failed, " + killed + " children killed");
    }
}
