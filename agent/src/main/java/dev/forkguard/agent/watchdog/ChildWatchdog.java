package dev.forkguard.agent.watchdog;

import dev.forkguard.agent.child.CloneGate;
import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.ForkReport.ChildOutcome;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.proc.ProcessStat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches each forked child from the parent, through {@code /proc} only, and gives it a verdict:
 * {@link ChildVerdict#EXEC}, {@link ChildVerdict#EXITED}, {@link ChildVerdict#RUNNING},
 * {@link ChildVerdict#HUNG} and, under {@code onHung=kill}, {@link ChildVerdict#KILLED}. It never calls
 * {@code waitpid}: that would reap, and so steal, the application's own child. It classifies; it never
 * prints (the {@link Listener} does).
 *
 * <p>Identity: the first look takes the child's start time, and only a process with this JVM as parent
 * that started no later than the fork is taken for the child; every later look must find the same
 * start time, or the child has been reaped and its pid belongs to another process.
 *
 * <p>Timing: exec is looked for every 10 ms during the first {@value #EXEC_GRACE_MILLIS} ms (a spawn
 * execs within a few); after that the child is sampled every {@value #SAMPLE_MILLIS} ms, and called
 * HUNG once every task has waited on the same private futexes, with no time-out and no CPU used, for
 * {@value #HANG_MILLIS} ms. At the end of the window a child still running gets RUNNING and is then
 * looked at every few seconds, for ten windows more; a HUNG child is watched until it ends, so a later
 * exit or kill is reported too.
 */
public final class ChildWatchdog {

    static final long EXEC_GRACE_MILLIS = 500;
    static final long SAMPLE_MILLIS = 250;
    static final long HANG_MILLIS = 1000;
    private static final long FAST_POLL_MILLIS = 10;
    private static final long SLOW_POLL_MILLIS = 2000;
    /** Ticks a child's start time may lie after the fork by the boot clock: its resolution, and rounding. */
    private static final long START_TICKS_SLACK = 2;

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
    private final int parentPid;
    private final Listener listener;
    private final HungChildKiller killer = new HungChildKiller();
    private final ConcurrentLinkedQueue<Watch> active = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    /**
     * @param windowSeconds how long a child is watched before a RUNNING verdict
     * @param parentPid this JVM's pid
     */
    public ChildWatchdog(int windowSeconds, int parentPid, Listener listener) {
        this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
        this.parentPid = parentPid;
        this.listener = listener;
        this.thread = new Thread(this::run, "forkguard-watchdog");
        this.thread.setDaemon(true);
    }

    public Thread thread() {
        return thread;
    }

    public void start() {
        thread.start();
    }

    /**
     * What to do with a HUNG child: {@code kill} ends it with SIGKILL once it has been HUNG for
     * {@code graceSeconds}; otherwise it is reported only. May be called at any time.
     */
    public void onHung(boolean kill, int graceSeconds) {
        killer.configure(kill, graceSeconds);
        LockSupport.unpark(thread);
    }

    /**
     * Starts watching the child of {@code report}; {@code forkNanos} is when the fork began and
     * {@code forkEndNanos} when the parent returned from it ({@code System.nanoTime()}, 0 if unknown).
     */
    public void watch(ForkReport report, long forkNanos, long forkEndNanos) {
        long now = System.nanoTime();
        long bootTicks = ProcessStat.bootTicksNow();
        // The boot clock runs on through a suspend, the monotonic one does not: this bound can only be late.
        long latestStart = bootTicks < 0 ? -1
                : bootTicks - (now - (forkEndNanos == 0 ? now : forkEndNanos)) / 10_000_000L + START_TICKS_SLACK;
        active.add(new Watch(report, forkNanos, latestStart));
        LockSupport.unpark(thread);
    }

    private void run() {
        while (true) {
            Thread.interrupted(); // the application's interrupt is not for this thread (see ReportPipeline)
            long now = System.nanoTime();
            long sleepMillis;
            CloneGate.workStarting();
            try {
                sleepMillis = round(now);
            } finally {
                CloneGate.workDone();
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(sleepMillis));
        }
    }

    /** One look at every watched child (agent work: see CloneGate); returns how long to sleep. */
    private long round(long now) {
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
        return sleepMillis;
    }

    /**
     * The JVM is exiting: every child not yet reported gets its verdict now, from one last look, so
     * no fork goes unreported because the parent ended first; a reported child that has ended since
     * the previous look gets that verdict. Runs on the shutdown hook's thread.
     */
    public void flush() {
        long now = System.nanoTime();
        for (Watch watch : active) {
            synchronized (watch) {
                if (!watch.done) {
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
        /** The child's start time can be no later than this, in boot clock ticks; -1 if unknown. */
        private final long latestStartTicks;
        /** The child's start time, from the first look; -1 before. */
        private long startTime = -1;
        boolean published;
        private boolean runningReported;
        private boolean hungReported;
        private long hungNanos;
        private String stuckSignature;
        private long stuckCpu;
        private long stuckSinceNanos;
        /** Looks in a row that found a HUNG child not stuck. */
        private int wakeSamples;
        private long lastSampleNanos;

        Watch(ForkReport report, long forkNanos, long latestStartTicks) {
            this.report = report;
            this.pid = report.childPid();
            this.forkNanos = forkNanos;
            this.latestStartTicks = latestStartTicks;
        }

        private long sampleMillis() {
            if (hungReported) {
                return killer.enabled() ? SAMPLE_MILLIS : SLOW_POLL_MILLIS;
            }
            return runningReported ? SLOW_POLL_MILLIS : SAMPLE_MILLIS;
        }

        long nextPollMillis(long now) {
            long age = TimeUnit.NANOSECONDS.toMillis(now - forkNanos);
            return age < EXEC_GRACE_MILLIS ? FAST_POLL_MILLIS : sampleMillis();
        }

        /** A look at the child, or a gone one when the process at its pid is not the child. */
        private ChildSample look(boolean waits) {
            ChildSample s = ChildSample.take(pid, waits);
            if (s.gone) {
                return s;
            }
            if (startTime < 0) {
                if (s.ppid != parentPid || (latestStartTicks >= 0 && s.startTime > latestStartTicks)) {
                    return ChildSample.GONE; // reaped and its pid reused before the first look
                }
                startTime = s.startTime;
            } else if (!s.is(parentPid, startTime)) {
                return ChildSample.GONE;
            }
            return s;
        }

        /** One look at the child; true when it needs no more watching. */
        boolean step(long now) {
            long ageMillis = TimeUnit.NANOSECONDS.toMillis(now - forkNanos);
            if (ageMillis >= EXEC_GRACE_MILLIS
                    && now - lastSampleNanos < TimeUnit.MILLISECONDS.toNanos(sampleMillis()) - 1_000_000) {
                return false;
            }
            lastSampleNanos = now;
            ChildSample s = look(true);
            if (ended(s, ageMillis)) {
                return true;
            }
            if (ageMillis < EXEC_GRACE_MILLIS) {
                return false;
            }
            if (!published) {
                deliver(outcome(ChildVerdict.RUNNING, null, null, ageMillis,
                        "no exec " + ageMillis + " ms after the fork; watching", List.of()));
            }
            if (s.stuck()) {
                wakeSamples = 0;
            }
            if (!s.stuck() && hungReported && s.cpuTicks == stuckCpu && ++wakeSamples < 2) {
                // One look between two waits (a JVM monitor's re-check runs for microseconds) is not a
                // wake-up: it takes CPU used, or a second look, to undo a HUNG verdict.
            } else if (!s.stuck()) {
                stuckSignature = null;
                if (hungReported) {
                    hungReported = false;
                    deliver(outcome(ChildVerdict.RUNNING, null, null, ageMillis,
                            "no longer hung after " + ageMillis + " ms; waits on: " + s.waitsOn(), List.of()));
                }
            } else if (!s.stuckSignature().equals(stuckSignature) || s.cpuTicks != stuckCpu) {
                stuckSignature = s.stuckSignature();
                stuckCpu = s.cpuTicks;
                stuckSinceNanos = now;
            } else if (!hungReported && now - stuckSinceNanos >= TimeUnit.MILLISECONDS.toNanos(HANG_MILLIS)) {
                hungReported = true;
                hungNanos = now;
                long still = TimeUnit.NANOSECONDS.toMillis(now - stuckSinceNanos);
                deliver(outcome(ChildVerdict.HUNG, null, null, ageMillis, "no CPU progress for " + still
                        + " ms, blocked in a futex only its own threads could wake: " + s.waitsOn(),
                        HangCauses.of(report)));
            } else if (hungReported && killer.due(hungNanos, now)) {
                int count = killer.killIfStillHung(pid, parentPid, startTime, stuckSignature, stuckCpu);
                if (count > 0) {
                    deliver(outcome(ChildVerdict.KILLED, null, Libc.SIGKILL, ageMillis, "no progress for "
                            + TimeUnit.NANOSECONDS.toMillis(now - stuckSinceNanos) + " ms, HUNG for "
                            + TimeUnit.NANOSECONDS.toMillis(now - hungNanos) + " ms; forkguard ended it with SIGKILL "
                            + "(onHung=kill, hungGrace=" + killer.graceMillis() / 1000 + " s; " + count
                            + (count == 1 ? " child" : " children") + " ended in this JVM)", HangCauses.of(report)));
                    return true;
                }
            }
            if (!runningReported && !hungReported && now - forkNanos >= windowNanos) {
                runningReported = true;
                deliver(outcome(ChildVerdict.RUNNING, null, null, ageMillis, "still running without exec "
                        + ageMillis / 1000 + " s after the fork; waits on: " + s.waitsOn(), List.of()));
            }
            return !hungReported && now - forkNanos >= windowNanos * 11;
        }

        /** Reports a child that exec'd, exited or is gone; true if it did. */
        private boolean ended(ChildSample s, long ageMillis) {
            if (s.gone) {
                deliver(outcome(ChildVerdict.EXITED, null, null, ageMillis,
                        "the child ended without exec and was reaped before its exit status could be read",
                        List.of()));
                return true;
            }
            if (s.execed) {
                ChildOutcome o = outcome(ChildVerdict.EXEC, null, null, ageMillis, "the child ran exec", List.of());
                if (published) {
                    listener.laterVerdict(report, o);
                } else {
                    listener.execed(report, o);
                }
                return true;
            }
            if (s.zombie) {
                deliver(exited(s.exitStatus, ageMillis));
                return true;
            }
            return false;
        }

        /**
         * A final verdict from one look, without waiting out the grace period; for a child already
         * reported, only an end it has come to since (so the JSON report says it at exit).
         */
        void last(long now) {
            long ageMillis = TimeUnit.NANOSECONDS.toMillis(now - forkNanos);
            if (!ended(look(false), ageMillis) && !published) {
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
