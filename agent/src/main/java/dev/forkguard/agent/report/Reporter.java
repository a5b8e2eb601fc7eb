package dev.forkguard.agent.report;

/** Publishes a finished fork report in one format or place. */
public interface Reporter {

    void report(ForkReport report);
}
