package dev.forkguard.agent.report;

import org.slf4j.Logger;

/** Writes each report to the agent's log: the headline at the report's level, then the block. */
public final class LogReporter implements Reporter {

    private final Logger log;

    public LogReporter(Logger log) {
        this.log = log;
    }

    @Override
    public void report(ForkReport report) {
        String text = ThreadBlockRenderer.render(report);
        if ("WARN".equals(report.severity())) {
            log.warn(text);
        } else {
            log.info(text);
        }
    }

    @Override
    public void warmUp(ForkReport sample) {
        ThreadBlockRenderer.render(sample);
    }

    /** One line a verdict: ERROR for HUNG (with its likely causes), WARN for RUNNING, INFO otherwise. */
    @Override
    public void update(ForkReport report) {
        ForkReport.ChildOutcome o = report.outcome();
        if (o == null) {
            return;
        }
        String line = "fork #" + report.sequence() + " in pid " + report.parentPid() + ": child pid "
                + report.childPid() + " " + o.verdict() + " (" + o.detail() + ")";
        if ("HUNG".equals(o.verdict())) {
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
