package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import dev.forkguard.probe.proc.TaskSyscall;

/** How the test applications wait for a forked child: bounded, then SIGKILL (a hung JVM child ignores SIGTERM). */
final class ChildWaits {

    private ChildWaits() {}

    /**
     * Waits up to {@code millis} for {@code child}, then kills it; prints how it ended. Always reaps it.
     */
    static void awaitOrKill(int child, long millis) throws InterruptedException {
        int[] status = new int[1];
        if (exitsWithin(child, millis, status)) {
            print(child, status[0]);
        } else {
            System.out.println("app: child " + child + " still running after " + millis + " ms: killed with SIGKILL");
        }
    }

    /**
     * Waits up to {@code millis} for {@code child}; if it is still running then, kills and reaps it.
     * Prints nothing. True if it ended by itself; its wait status is left in {@code status[0]}.
     */
    static boolean exitsWithin(int child, long millis, int[] status) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (Libc.waitpid(child, status, Libc.WNOHANG) == child) {
                return true;
            }
            Thread.sleep(5);
        }
        String wait = waitOf(child);
        Libc.kill(child, Libc.SIGKILL);
        Libc.waitpid(child, status, 0);
        if (wait != null) {
            System.out.println("app: child " + child + " was blocked in " + wait + " when killed");
        }
        return false;
    }

    /**
     * What a child still running waits in, from {@code /proc/<pid>/syscall}: "a JVM-internal mutex" for a
     * plain private futex wait ({@code FUTEX_WAIT|FUTEX_PRIVATE_FLAG}, how glibc's {@code pthread_mutex_lock}
     * and HotSpot's safepoint barrier wait), which no lock of the application's uses: a parked thread
     * (a {@code java.util.concurrent} lock, a monitor, the VM Thread's queue) waits with
     * {@code FUTEX_WAIT_BITSET}. Null when unknown.
     */
    private static String waitOf(int child) {
        TaskSyscall s = TaskSyscall.ofTask(child, child); // a forked child runs its forking thread alone
        if (s == null) {
            return null;
        }
        String arch = System.getProperty("os.arch");
        int futex = "amd64".equals(arch) || "x86_64".equals(arch) ? 202 : 98;
        if (s.number() == futex && s.arg(1) == 0x80) {
            return "a JVM-internal mutex (futex op 0x80)";
        }
        return "syscall " + s.number() + " op 0x" + Long.toHexString(s.arg(1));
    }

    /**
     * Forks a child that only calls {@code _exit(0)} and reaps it within {@code millis}.
     *
     * @return its exit code, or -1 if it hung and was killed
     */
    static int forkExitingChild(long millis) throws InterruptedException {
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        int[] status = new int[1];
        return exitsWithin(child, millis, status) ? Libc.exitCode(status[0]) : -1;
    }

    private static void print(int child, int status) {
        if (Libc.exited(status)) {
            System.out.println("app: child " + child + " exited with code " + Libc.exitCode(status));
        } else {
            System.out.println("app: child " + child + " ended by signal " + Libc.termSignal(status));
        }
    }
}
