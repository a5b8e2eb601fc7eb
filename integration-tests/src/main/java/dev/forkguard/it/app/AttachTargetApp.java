package dev.forkguard.it.app;

import dev.forkguard.probe.Libc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A running JVM to attach to: a thread takes a lock at start (before any attach), then the
 * application waits for a trigger file, forks once without exec, and ends. Arg: the trigger file.
 */
public final class AttachTargetApp {

    private AttachTargetApp() {}

    public static void main(String[] args) throws Exception {
        Path trigger = Paths.get(args[0]);
        Libc.bind();
        ReentrantLock ledgerLock = new ReentrantLock();
        LockHolder holder = LockHolder.hold(ledgerLock, "early-holder");
        System.out.println("app: ready " + Libc.getpid());
        System.out.flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(trigger) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int child = Libc.fork();
        if (child == 0) {
            Libc._exit(0);
        }
        ChildWaits.awaitOrKill(child, 2000);
        Thread.sleep(500);
        holder.release();
    }
}
