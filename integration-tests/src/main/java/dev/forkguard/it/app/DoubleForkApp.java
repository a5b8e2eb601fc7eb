package dev.forkguard.it.app;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dev.forkguard.probe.Libc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The double fork of daemons: the JVM forks a child, the child forks a grandchild that exits with
 * 42, and the child reaps it and exits with 43 when the grandchild's code was 42 (44 otherwise, 45 if
 * its fork failed). A thread holds a lock meanwhile, so a fork-time snapshot has work to do.
 *
 * <p>Bounded: the child is SIGKILLed after 10 s; the JVM makes itself a child subreaper, so a
 * grandchild left behind by a killed child is reparented to it and reaped too. Optional arg: a
 * trigger file to wait for before forking (for an attach first).
 */
public final class DoubleForkApp {

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** Allocated in the parent: the child allocates nothing. */
    private static final int[] CHILD_STATUS = new int[1];

    private DoubleForkApp() {}

    public static void main(String[] args) throws Exception {
        Libc.bind();
        Function prctl = NativeLibrary.getProcess().getFunction("prctl");
        if (prctl.invokeInt(new Object[] {PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L}) != 0) {
            System.out.println("app: could not become a child subreaper");
        }
        ReentrantLock lock = new ReentrantLock();
        LockHolder holder = LockHolder.hold(lock, "lock-holder");
        System.out.println("app: ready " + Libc.getpid());
        System.out.flush();
        if (args.length > 0) {
            Path trigger = Paths.get(args[0]);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(trigger) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        int child = Libc.fork();
        if (child == 0) {
            // Bound natives and int arithmetic only: no allocation, no class loading in the child.
            int grandchild = Libc.fork();
            if (grandchild == 0) {
                Libc._exit(42);
            }
            if (grandchild < 0) {
                Libc._exit(45);
            }
            int reaped = Libc.waitpid(grandchild, CHILD_STATUS, 0);
            boolean ok = reaped == grandchild && (CHILD_STATUS[0] & 0x7f) == 0 && ((CHILD_STATUS[0] >> 8) & 0xff) == 42;
            Libc._exit(ok ? 43 : 44);
        }
        System.out.println("app: forked child " + child);
        ChildWaits.awaitOrKill(child, 10_000);
        reapOrphans();
        Thread.sleep(300); // lets the agent's reporter finish before the JVM exits
        holder.release();
    }

    /** Reaps any grandchild reparented here (only when the child was killed before reaping it). */
    private static void reapOrphans() throws InterruptedException {
        int[] status = new int[1];
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int pid = Libc.waitpid(-1, status, Libc.WNOHANG);
            if (pid < 0) {
                return; // no children left
            }
            if (pid > 0) {
                System.out.println("app: reaped orphaned grandchild " + pid);
            } else {
                Thread.sleep(5);
            }
        }
        System.out.println("app: a grandchild is still running after 5 s");
    }
}
