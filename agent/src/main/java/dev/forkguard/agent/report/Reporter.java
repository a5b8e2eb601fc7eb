package dev.forkguard.agent.report;

/** Publishes a finished fork report in one format or place. */
public interface Reporter {

    /** A fork worth reporting, with the child's first outcome when the watchdog is on. */
    void report(ForkReport report);

    /** A later outcome of a child already reported. */
    void update(ForkReport report);

    /** Runs the rendering path once on a throw-away report, publishing nothing (see ReportPipeline). */
    void warmUp(ForkReport sample);
}
