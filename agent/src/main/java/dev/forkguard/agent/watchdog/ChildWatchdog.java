package dev.forkguard.agent.watchdog;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.ForkReport.ChildOutcome;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches each forked child from the parent, through {@code /proc} only, and gives it a verdict:
 * {@link ChildVerdict#EXEC}, {@link ChildVerdict#EXITED}, {@link ChildVerdict#RUNNING} or
 * {@link ChildVerdict#HUNG}. It never calls {@code waitpid}: that would reap, and so steal, the
 * application's own child. It classifies; it never prints (the {@link Listener} does).
 *
 * <p>Timing: exec is looked for every 10 ms during the first {@value #EXEC_GRACE_MILLIS} ms (a spawn
 * execs within a few); after that the child is sampled every {@value #SAMPLE_MILLIS} ms, and called
 * HUNG once it has used no CPU for {@value #HANG_MILLIS} ms while sleeping in a futex. At the end of
 * the window a child still running gets RUNNING and is then looked at every few seconds, for ten
 * windows more.
 */
public final class ChildWatchdog {

    static final long EXEC_GRACE_MILLIS = 500;
    static final long SAMPLE_MILLIS = 250;
    static final long HANG_MILLIS = 1000;
    private static final long FAST_POLL_MILLIS = 10;
    private static final long SLOW_POLL_MILLIS = 2000;

    /** Receives the watchdog's verdicts; called on the watchdog's thread. */
    public interface Listener {
        /** The fork is worth reporting (no exec in the grace period): publish it with this outcome. */
        void firstVerdict(ForkReport report, ChildOutcome outcome);

        /** A later verdict for a report already published. */
        void laterVerdict(ForkReport report, ChildOutcome outcome);

        /** The child exec'd: nothing to report. */
        void execed(ForkReport report, ChildOutcome outcome);
    }

    private final long windowNanos;
    private final Listener listener;
    private final ChildSample.ParentImage parent;
    private final ConcurrentLinkedQueue<Watch> active = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    /**
     * @param windowSeconds how long a child is watched before a RUNNING verdict
     * @param parentPid this JVM's pid
     */
    public ChildWatchdog(int windowSeconds, int parentPid, Listener listener) {
        this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
        this.listener = listener;
        this.parent = ChildSample.ParentImage.of(parentPid);
        this.thread = new Thread(this::run, "forkguard-watchdog");
        this.thread.setDaemon(true);
    }

    public Thread thread() {
        return thread;
    }

    public void start() {
        thread.start();
    }

    /** Starts watching the child of {@code report}; {@code forkNanos} is when the fork happened. */
    public void watch(ForkReport report, long forkNanos) {
        active.add(new Watch(report, forkNanos));
        LockSupport.unpark(thread);
    }

    private void run() {
        while (true) {
            long now = System.nanoTime();
            long sleepMillis = SLOW_POLL_MILLIS;
            for (Iterator<Watch> it = active.iterator(); it.hasNext();) {
                Watch watch = it.next();
                synchronized (watch) {
                    try {
                        if (watch.done || watch.step(now)) {
                            watch.done = true;
                            it.remove();
                            continue;
                        }
                    } catch (RuntimeException e) {
                        watch.done = true; // a child we cannot read is a child we stop watching
                        it.remove();
                        continue;
                    }
                }
                sleepMillis = Math.min(sleepMillis, watch.nextPollMillis(now));
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(sleepMillis));
        }
    }

    /**
     * The JVM is exiting: every child not yet reported gets its verdict now, from one last look, so
     * no fork goes unreported because the parent ended first. Runs on the shutdown hook's thread.
     */
    public void flush() {
        long now = System.nanoTime();
        for (Watch watch : active) {
            synchronized (watch) {
                if (!watch.done && !watch.published) {
                    watch.last(now);
                    watch.done = true;
                }
            }
        }
    }

    private final class Watch {
        /** Guarded by this watch's lock, like the rest of its state. */
        boolean done;
        private final ForkReport report;
        private final int pid;
        private final long forkNanos;
        boolean published;
        private boolean runningReported;
        private long lastCpu = -1;
        private long lastProgressNanos;
        private long lastSampleNanos;

        Watch(ForkReport report, long forkNanos) {
            this.report = report;
            this.pid = report.childPid();
            this.forkNanos = forkNanos;
            this.lastProgressNanos = forkNanos;
        }

        long nextPollMillis(long now) {
            long age = TimeUnit.NANOSECONDS.toMillis(now - forkNanos);
            if (age < EXEC_GRACE_MILLIS) {
                return FAST_POLL_MILLIS;
            }
            return runningReported ? SLOW_POLL_MILLIS : SAMPLE_MILLIS;
        }

        /** One look at the child; true when it needs no more watching. */
        boolean step(long now) {
            long ageMillis = TimeUnit.NANOSECONDS.toMillis(now - forkNanos);
            if (ageMillis >= EXEC_GRACE_MILLIS && now - lastSampleNanos < TimeUnit.MILLISECONDS.toNanos(
                    runningReported ? SLOW_POLL_MILLIS : SAMPLE_MILLIS) - 1_000_000) {
                return false;
            }
            lastSampleNanos = now;
            ChildSample s = ChildSample.take(pid, parent);
            if (s.execed) {
                ChildOutcome o = outcome(ChildVerdict.EXEC, null, null, ageMillis, "the child ran exec", List.of());
                if (published) {
                    listener.laterVerdict(report, o);
                } else {
                    listener.execed(report, o);
                }
                return true;
            }
            if (s.gone || s.zombie) {
                ChildOutcome o = s.gone
                        ? outcome(ChildVerdict.EXITED, null, null, ageMillis,
                                "the child ended without exec and was reaped before its exit status could be read",
                                List.of())
                        : exited(s.exitStatus, ageMillis);
                deliver(o);
                return true;
            }
            if (ageMillis < EXEC_GRACE_MILLIS) {
                return false;
            }
            if (!published) {
                deliver(outcome(ChildVerdict.RUNNING, null, null, ageMillis,
                        "no exec " + ageMillis + " ms after the fork; watching", List.of()));
            }
            if (s.cpuTicks != lastCpu) {
                lastCpu = s.cpuTicks;
                lastProgressNanos = now;
            } else if (s.inFutex() && now - lastProgressNanos >= TimeUnit.MILLISECONDS.toNanos(HANG_MILLIS)) {
                long still = TimeUnit.NANOSECONDS.toMillis(now - lastProgressNanos);
                deliver(outcome(ChildVerdict.HUNG, null, null, ageMillis, "no CPU progress for " + still
                        + " ms, blocked in a futex (wchan " + (s.wchan.isEmpty() ? "?" : s.wchan) + ", syscall "
                        + (s.syscall.isEmpty() ? "?" : s.syscall) + ")", HangCauses.of(report)));
                return true;
            }
            if (!runningReported && now - forkNanos >= windowNanos) {
                runningReported = true;
                deliver(outcome(ChildVerdict.RUNNING, null, null, ageMillis,
                        "still running without exec " + ageMillis / 1000 + " s after the fork", List.of()));
            }
            return now - forkNanos >= windowNanos * 11;
        }

        /** A final verdict from one look, without waiting out the grace period. */
        void last(long now) {
            long ageMillis = TimeUnit.NANOSECONDS.toMillis(now - forkNanos);
            ChildSample s = ChildSample.take(pid, parent);
            if (s.execed) {
                listener.execed(report, outcome(ChildVerdict.EXEC, null, null, ageMillis, "the child ran exec",
                        List.of()));
            } else if (s.gone) {
                deliver(outcome(ChildVerdict.EXITED, null, null, ageMillis,
                        "the child ended without exec and was reaped before its exit status could be read", List.of()));
            } else if (s.zombie) {
                deliver(exited(s.exitStatus, ageMillis));
            } else {
                deliver(outcome(ChildVerdict.RUNNING, null, null, ageMillis,
                        "no exec " + ageMillis + " ms after the fork, when the parent exited", List.of()));
            }
        }

        private void deliver(ChildOutcome o) {
            if (published) {
                listener.laterVerdict(report, o);
            } else {
                published = true;
                listener.firstVerdict(report, o);
            }
        }
    }

    private static ChildOutcome exited(int status, long ageMillis) {
        int signal = status & 0x7f;
        if (signal == 0) {
            int code = (status >> 8) & 0xff;
            return outcome(ChildVerdict.EXITED, code, null, ageMillis, "exited without exec, code " + code, List.of());
        }
        return outcome(ChildVerdict.EXITED, null, signal, ageMillis, "killed by signal " + signal + " without exec",
                List.of());
    }

    private static ChildOutcome outcome(ChildVerdict verdict, Integer code, Integer signal, long afterMillis,
            String detail, List<String> causes) {
        return new ChildOutcome(verdict.name(), code, signal, afterMillis, detail, causes);
    }
}
