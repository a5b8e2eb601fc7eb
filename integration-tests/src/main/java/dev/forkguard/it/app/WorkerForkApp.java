package dev.forkguard.it.app;

import com.sun.jna.Memory;
import dev.forkguard.probe.Libc;

/**
 * Forks from a worker thread ("order-worker"), not main, while main holds nothing. The child, by mode:
 * {@code exit} exits at once with code 0; {@code sleep} sleeps in Thread.sleep (a timed wait) and then
 * exits 0; {@code rename-exit} renames itself with prctl(PR_SET_NAME) and exits 0; {@code rename-exec}
 * renames itself and execs /bin/sleep 1. Args: mode, how long the parent waits for the child (ms),
 * and for sleep how long the child sleeps (ms).
 */
public final class WorkerForkApp {

    private WorkerForkApp() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long waitMillis = Long.parseLong(args[1]);
        long sleepMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Libc.bind();
        Memory name = ChildCalls.cString("renamed-child");
        Memory sleepPath = ChildCalls.cString("/bin/sleep");
        Memory one = ChildCalls.cString("1");
        Memory argv = ChildCalls.argv(sleepPath, one);
        // Bound and run here first: the child resolves nothing (docs/DESIGN.md, Child-safe code).
        ChildCalls.prctl(ChildCalls.PR_SET_NAME, ChildCalls.cString("main"), 0, 0, 0);
        Thread.sleep(1);
        boolean sleep = mode.equals("sleep");
        boolean rename = mode.startsWith("rename");
        boolean exec = mode.equals("rename-exec");
        int[] child = new int[1];
        Thread worker = new Thread(() -> {
            int pid = Libc.fork();
            if (pid == 0) {
                if (rename) {
                    ChildCalls.prctl(ChildCalls.PR_SET_NAME, name, 0, 0, 0);
                }
                if (exec) {
                    ChildCalls.execv(sleepPath, argv);
                    Libc._exit(127);
                }
                if (sleep) {
                    try {
                        Thread.sleep(sleepMillis);
                    } catch (InterruptedException e) {
                        Libc._exit(4);
                    }
                }
                Libc._exit(0);
            }
            child[0] = pid;
        }, "order-worker");
        worker.start();
        worker.join();
        System.out.println("app: forked child " + child[0] + " from thread order-worker (" + mode + ")");
        ChildWaits.awaitOrKill(child[0], waitMillis);
        // Let the watchdog see the reaped child before the JVM ends.
        Thread.sleep(300);
    }
}
