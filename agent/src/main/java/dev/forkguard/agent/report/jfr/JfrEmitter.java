package dev.forkguard.agent.report.jfr;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.ForkReport.ChildOutcome;
import dev.forkguard.agent.report.ForkReport.ThreadEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;

/** The JFR side of {@link FlightRecorderEvents}; loaded only where {@code jdk.jfr} is present. */
final class JfrEmitter extends FlightRecorderEvents {

    private final Logger log;
    /** Set after the first failure, which is logged once: the events are a view, never worth a second warning. */
    private volatile boolean broken;

    JfrEmitter(Logger log) {
        this.log = log;
    }

    @Override
    public void fork(ForkReport report) {
        if (broken) {
            return;
        }
        try {
            ForkEvent e = new ForkEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.sequence = report.sequence();
            e.forkTime = epochMillis(report.time());
            ThreadEntry forking = report.forkingThread();
            if (forking != null) {
                e.forkingThread = forking.name();
                e.forkingThreadId = forking.id();
            }
            e.childPid = report.childPid() == null ? 0 : report.childPid();
            int java = 0;
            for (ThreadEntry t : report.vanishingThreads()) {
                java += t.agentThread() ? 0 : 1;
            }
            // The report lists at most a capped number of threads; its summary counts them all.
            ForkReport.ThreadSummary summary = report.threadSummary();
            e.vanishingJavaThreads = summary == null ? java : summary.javaThreads();
            e.vanishingVirtualThreads = summary == null ? 0 : summary.virtualThreads();
            e.vanishingOsThreads = report.osThreads().size();
            e.orphanedLocks = report.orphanedLocks().size();
            e.classInitsInProgress = report.classInitInProgress().size();
            e.severity = report.severity();
            e.childVerdict = report.outcome() == null ? null : report.outcome().verdict();
            e.verdict = report.verdict();
            e.snapshotPause = report.snapshotMicros();
            e.commit();
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    public void childOutcome(ForkReport report) {
        ChildOutcome o = report.outcome();
        if (broken || o == null) {
            return;
        }
        try {
            ChildOutcomeEvent e = new ChildOutcomeEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.sequence = report.sequence();
            e.childPid = report.childPid() == null ? 0 : report.childPid();
            e.verdict = o.verdict();
            e.exitCode = o.exitCode() == null ? -1 : o.exitCode();
            e.signal = o.signal() == null ? 0 : o.signal();
            e.endedByForkguard = "KILLED".equals(o.verdict());
            e.afterFork = o.afterMillis();
            e.detail = o.detail();
            e.causes = o.causes() == null || o.causes().isEmpty() ? null : String.join("\n", o.causes());
            e.commit();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        broken = true;
        log.warn("forkguard: JFR events off after an error: {}", t.toString());
    }

    private static long epochMillis(String isoTime) {
        try {
            return Instant.parse(isoTime).toEpochMilli();
        } catch (DateTimeParseException | NullPointerException e) {
            return 0;
        }
    }
}
