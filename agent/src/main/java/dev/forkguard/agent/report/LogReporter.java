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
}
