package dev.forkguard.agent.watchdog;

import dev.forkguard.probe.Libc;
import dev.forkguard.probe.PidFd;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code onHung=kill} policy: ends a child that has been HUNG for the grace period with SIGKILL
 * (a hung JVM child ignores SIGTERM), after checking once more, through a pidfd, that it is still the
 * same child of this process, still without exec, and still stuck on the same futexes with no CPU
 * used. The policy can change while the JVM runs ({@code attach}); the kills are counted.
 */
final class HungChildKiller {

    private volatile boolean enabled;
    private volatile long graceNanos = TimeUnit.SECONDS.toNanos(5);
    private final AtomicInteger ended = new AtomicInteger();

    void configure(boolean kill, int graceSeconds) {
        graceNanos = TimeUnit.SECONDS.toNanos(graceSeconds);
        enabled = kill;
    }

    boolean enabled() {
        return enabled;
    }

    long graceMillis() {
        return TimeUnit.NANOSECONDS.toMillis(graceNanos);
    }

    /** True when a child HUNG since {@code hungNanos} is due to be ended at {@code now}. */
    boolean due(long hungNanos, long now) {
        return enabled && now - hungNanos >= graceNanos;
    }

    /** Children ended so far in this JVM. */
    int ended() {
        return ended.get();
    }

    /**
     * Sends SIGKILL to {@code pid} if, looked at through a pidfd opened first, it is still the child
     * forked by {@code parentPid} at {@code startTime}, without exec, stuck on {@code signature} with
     * {@code cpuTicks} used. Returns how many children this JVM has ended, counting this one, or 0
     * when it did not send the signal.
     */
    int killIfStillHung(int pid, int parentPid, long startTime, String signature, long cpuTicks) {
        // Opened before the check: whatever process the check then sees is the one the pidfd names,
        // so the signal cannot reach a process that took the pid after the child was reaped.
        int fd = PidFd.open(pid);
        try {
            if (fd < 0 && !Files.exists(Paths.get("/proc", Integer.toString(pid)))) {
                return 0; // gone
            }
            ChildSample s = ChildSample.take(pid);
            if (!s.is(parentPid, startTime) || s.zombie || s.execed || !s.stuck()
                    || !s.stuckSignature().equals(signature) || s.cpuTicks != cpuTicks) {
                return 0;
            }
            // Without pidfds (Linux before 5.3) the pid is the only handle: the window between the
            // check and the signal is then a few microseconds in which the child would have to be
            // reaped and its pid reused.
            int rc = fd >= 0 ? PidFd.sendSignal(fd, Libc.SIGKILL) : Libc.kill(pid, Libc.SIGKILL);
            return rc == 0 ? ended.incrementAndGet() : 0;
        } finally {
            PidFd.close(fd);
        }
    }
}
