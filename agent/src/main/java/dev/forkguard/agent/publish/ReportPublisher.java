package dev.forkguard.agent.publish;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.Reporter;
import dev.forkguard.agent.report.ForkReport.ChildOutcome;
import dev.forkguard.agent.report.jfr.FlightRecorderEvents;
import dev.forkguard.agent.watchdog.ChildWatchdog;
import java.util.List;
import org.slf4j.Logger;

/**
 * Sends each report, and each later verdict on its child, to every reporter and as JFR events; an
 * exec'd child to DEBUG only.
 */
public final class ReportPublisher implements ChildWatchdog.Listener {

    private final List<Reporter> reporters;
    private final Logger log;
    private final FlightRecorderEvents events;

    public ReportPublisher(List<Reporter> reporters, Logger log) {
        this.reporters = reporters;
        this.log = log;
        this.events = FlightRecorderEvents.create(log);
    }

    /** A report published as it is, with no watchdog verdict. */
    public void publish(ForkReport report) {
        for (Reporter r : reporters) {
            r.report(report);
        }
        events.fork(report);
    }

    /** Warms every reporter's rendering up with a throw-away report. */
    public void warmUp(ForkReport sample) {
        for (Reporter r : reporters) {
            r.warmUp(sample);
        }
    }

    @Override
    public void firstVerdict(ForkReport report, ChildOutcome outcome) {
        ForkReport withOutcome = report.withOutcome(outcome);
        publish(withOutcome);
        events.childOutcome(withOutcome);
    }

    @Override
    public void laterVerdict(ForkReport report, ChildOutcome outcome) {
        ForkReport updated = report.withOutcome(outcome);
        for (Reporter r : reporters) {
            r.update(updated);
        }
        events.childOutcome(updated);
    }

    @Override
    public void execed(ForkReport report, ChildOutcome outcome) {
        log.debug("forkguard: fork #{} in pid {}: child pid {} ran exec after {} ms; nothing to report",
                report.sequence(), report.parentPid(), report.childPid(), outcome.afterMillis());
    }
}
