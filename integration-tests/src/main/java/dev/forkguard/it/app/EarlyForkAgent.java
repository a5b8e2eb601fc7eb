package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.lang.instrument.Instrumentation;

/**
 * Forks while forkguard starts: as a {@code -javaagent} named before forkguard's, its premain starts
 * thread "early-forker", which forks (the child exits at once) over and over while forkguard's
 * premain runs, and on until {@code main} has seen the given number of forks made after it started.
 * Arg of main: forks to wait for.
 */
public final class EarlyForkAgent {

    private static volatile boolean stop;
    private static volatile int forks;
    private static volatile int failures;
    private static Thread forker;

    private EarlyForkAgent() {}

    public static void premain(String args, Instrumentation inst) throws Exception {
        Libc.bind();
        forker = new Thread(() -> {
            int[] status = new int[1];
            while (!stop) {
                int child = Libc.fork();
                if (child == 0) {
                    Libc._exit(0);
                }
                if (child < 0 || Libc.waitpid(child, status, 0) != child) {
                    failures++;
                }
                forks++;
            }
        }, "early-forker");
        forker.setDaemon(true);
        forker.start();
    }

    public static void main(String[] args) throws Exception {
        int more = Integer.parseInt(args[0]);
        int atMain = forks;
        while (forks < atMain + more) {
            Thread.sleep(5);
        }
        stop = true;
        forker.join();
        System.out.println("app: " + forks + " forks, " + atMain + " of them before main, " + failures + " failed");
    }
}
