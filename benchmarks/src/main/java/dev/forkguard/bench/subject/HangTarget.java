package dev.forkguard.bench.subject;

import dev.forkguard.probe.Libc;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forks children that hang at once, on a {@code ReentrantLock} held by a thread that does not exist
 * in them, and times how long after the fork the agent's log (a file) shows that child's
 * {@code HUNG} line. Each child is SIGKILLed and reaped before the next fork.
 *
 * <p>Arguments: hangs, agent log file, bound in milliseconds for one HUNG line.
 */
public final class HangTarget {

    private HangTarget() {
    }

    public static void main(String[] args) throws Exception {
        int hangs = Integer.parseInt(args[0]);
        String log = args[1];
        long boundMillis = Long.parseLong(args[2]);
        Libc.bind();
        ReentrantLock lock = new ReentrantLock();
        Thread holder = new Thread(() -> {
            lock.lock();
            TargetSupport.awaitNever();
        }, "lock-holder");
        holder.setDaemon(true);
        holder.start();
        while (!lock.isLocked()) {
            Thread.sleep(1);
        }
        long[] delays = new long[hangs];
        int[] status = new int[1];
        for (int i = 0; i < hangs; i++) {
            Thread.sleep(300);
            long offset = new java.io.File(log).length();
            long forked;
            int pid = Libc.fork();
            if (pid == 0) {
                lock.lock();
                Libc._exit(0);
            }
            forked = System.nanoTime();
            try {
                String wanted = "child pid " + pid + " HUNG";
                long seen = -1;
                while (seen < 0 && System.nanoTime() - forked < boundMillis * 1_000_000L) {
                    if (contains(log, offset, wanted)) {
                        seen = System.nanoTime();
                    } else {
                        Thread.sleep(2);
                    }
                }
                if (seen < 0) {
                    throw new IllegalStateException("no '" + wanted + "' in " + log + " within " + boundMillis + " ms");
                }
                delays[i] = seen - forked;
            } finally {
                Libc.kill(pid, Libc.SIGKILL);
                Libc.waitpid(pid, status, 0);
            }
        }
        TargetSupport.result("hungNanos", delays);
    }

    private static boolean contains(String file, long offset, String text) throws java.io.IOException {
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            long length = f.length();
            if (length <= offset) {
                return false;
            }
            byte[] bytes = new byte[(int) (length - offset)];
            f.seek(offset);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).contains(text);
        }
    }
}
