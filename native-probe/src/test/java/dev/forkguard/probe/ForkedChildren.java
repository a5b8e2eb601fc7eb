package dev.forkguard.probe;

/**
 * Forks the test JVM for real and reaps what it forked, with a hard bound so a child that hangs
 * (docs/DESIGN.md, What hangs a forked JVM child) is killed rather than left behind.
 */
public final class ForkedChildren {

    private ForkedChildren() {
    }

    /**
     * Forks a child that does nothing but {@code _exit(code)}: no Java allocation, no class
     * loading, no other call, since anything more may hang a forked JVM.
     */
    public static int forkExiting(int code) {
        int pid = Libc.fork();
        if (pid == 0) {
            Libc._exit(code);
        }
        if (pid < 0) {
            throw new AssertionError("fork() failed");
        }
        return pid;
    }

    /**
     * Reaps {@code pid} and returns its raw wait status; if it has not ended within
     * {@code timeoutMillis} it is SIGKILLed, reaped, and the test fails.
     */
    public static int reap(int pid, long timeoutMillis) throws InterruptedException {
        int[] status = new int[1];
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            int r = Libc.waitpid(pid, status, Libc.WNOHANG);
            if (r == pid) {
                return status[0];
            }
            if (r < 0) {
                throw new AssertionError("waitpid(" + pid + ") failed");
            }
            if (System.nanoTime() > deadline) {
                Libc.kill(pid, Libc.SIGKILL);
                Libc.waitpid(pid, status, 0);
                throw new AssertionError("forked child " + pid + " did not exit within "
                        + timeoutMillis + " ms; killed it");
            }
            Thread.sleep(1);
        }
    }
}
