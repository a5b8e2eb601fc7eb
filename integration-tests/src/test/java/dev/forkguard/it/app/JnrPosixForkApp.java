package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Forks from Java through jnr-posix (jnr-ffi over jffi and libffi, not JNA), the way JRuby does; the
 * child exits at once and the parent reaps it (bounded: SIGKILL after 30 s).
 */
public final class JnrPosixForkApp {

    private JnrPosixForkApp() {}

    public static void main(String[] args) throws Exception {
        POSIX posix = POSIXFactory.getNativePOSIX();
        posix.getpid(); // binds jnr-posix's libc in the parent
        // jnr-posix has no _exit: the child leaves through the probe's, bound here (docs/DESIGN.md, Child-safe code).
        Libc.bind();
        int child = forkOnce(posix);
        if (child == 0) {
            Libc._exit(0);
        }
        int[] status = new int[1];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (posix.waitpid(child, status, 1 /* WNOHANG */) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (posix.waitpid(child, status, 1) == 0) {
            posix.kill(child, 9);
            posix.waitpid(child, status, 0);
        }
        System.out.println("app: jnr-posix forked child " + child);
    }

    /** A frame of the application's own between main and the library: the report's stack must show it. */
    private static int forkOnce(POSIX posix) {
        return posix.fork();
    }
}
