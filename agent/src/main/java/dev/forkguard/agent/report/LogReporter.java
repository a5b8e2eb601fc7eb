package dev.forkguard.agent.report;

import org.slf4j.Logger;

/** Writes each report to the agent's log: the headline at the report's level, then the block. */
public final class LogReporter implements Reporter {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Logger log;
    private final int perMinute;
    private long windowStart = System.nanoTime();
    private int loggedInWindow;
    private long suppressed;
    /** Sequences of the latest reports logged in full: only their later verdicts are logged, HUNG aside. */
    private final java.util.Set<Long> loggedInFull = java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<Long, Boolean>() {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Long, Boolean> eldest) {
                    return size() > 1024;
                }
            });

    /** @param perMinute fork reports logged in full per minute; the rest are counted (reporter thread only) */
    public LogReporter(Logger log, int perMinute) {
        this.log = log;
        this.perMinute = perMinute;
    }

    @Override
    public synchronized void report(ForkReport report) {
        long now = System.nanoTime();
        if (now - windowStart >= MINUTE_NANOS) {
            flushSuppressed();
            windowStart = now;
            loggedInWindow = 0;
        }
        if (loggedInWindow >= perMinute) {
            suppressed++;
            return;
        }
        loggedInWindow++;
        loggedInFull.add(report.sequence());
        String text = ThreadBlockRenderer.render(report);
        if ("WARN".equals(report.severity())) {
            log.warn(text);
        } else {
            log.info(text);
        }
    }

    /** Called now and then: once the current minute is over, logs what it held back. */
    public synchronized void tick() {
        if (System.nanoTime() - windowStart >= MINUTE_NANOS) {
            flushSuppressed();
            windowStart = System.nanoTime();
            loggedInWindow = 0;
        }
    }

    /** Logs how many fork reports the rate limit held back, if any. */
    public synchronized void flushSuppressed() {
        if (suppressed > 0) {
            log.warn("forkguard: {} more fork reports were not logged (logRate={} a minute); the JSON reports, "
                    + "if reportDir is set, hold every fork", suppressed, perMinute);
            suppressed = 0;
        }
    }

    @Override
    public void warmUp(ForkReport sample) {
        ThreadBlockRenderer.render(sample);
    }

    /**
     * One line a verdict: ERROR for HUNG (with its likely causes) and KILLED (one line, causes included),
     * WARN for RUNNING, INFO otherwise. The verdict of a report the rate held back is not logged either
     * (the JSON report has it), unless the child hung or was ended: that is logged always.
     */
    @Override
    public synchronized void update(ForkReport report) {
        ForkReport.ChildOutcome o = report.outcome();
        boolean alwaysLogged = "HUNG".equals(o == null ? null : o.verdict()) || "KILLED".equals(o == null ? null : o.verdict());
        if (o == null || (!alwaysLogged && !loggedInFull.contains(report.sequence()))) {
            return;
        }
        String line = "fork #" + report.sequence() + " in pid " + report.parentPid() + ": child pid "
                + report.childPid() + " " + o.verdict() + " (" + o.detail() + ")";
        if ("KILLED".equals(o.verdict())) {
            // One line: what forkguard itself did must be found with a single grep.
            log.error(line + ". Causes: " + String.join("; ", o.causes()));
        } else if ("HUNG".equals(o.verdict())) {
            StringBuilder b = new StringBuilder(line).append(". Likely causes:");
            for (String cause : o.causes()) {
                b.append("\n  - ").append(cause);
            }
            log.error(b.toString());
        } else if ("RUNNING".equals(o.verdict())) {
            log.warn(line);
        } else {
            log.info(line);
        }
    }
}
