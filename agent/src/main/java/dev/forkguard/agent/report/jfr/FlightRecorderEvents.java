package dev.forkguard.agent.report.jfr;

import dev.forkguard.agent.report.ForkReport;
import org.slf4j.Logger;

/**
 * Emits {@code forkguard.Fork} and {@code forkguard.ChildOutcome} JFR events. Called on the reporter
 * and watchdog threads of the parent, never in the fork window or the child. Without a recording an
 * event is one {@code shouldCommit()} check; on a runtime without the {@code jdk.jfr} module (a
 * jlinked image, {@code --limit-modules}) none of the event classes is ever loaded.
 */
public abstract class FlightRecorderEvents {

    private static final FlightRecorderEvents NONE = new FlightRecorderEvents() {
        @Override
        public void fork(ForkReport report) {}

        @Override
        public void childOutcome(ForkReport report) {}
    };

    /** A fork has been reported; {@code report.outcome()} is the child's first verdict, if any. */
    public abstract void fork(ForkReport report);

    /** The watchdog gave the reported child the verdict in {@code report.outcome()}. */
    public abstract void childOutcome(ForkReport report);

    /** Events when this runtime has JFR, otherwise nothing. */
    public static FlightRecorderEvents create(Logger log) {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            return NONE;
        }
        return new JfrEmitter(log);
    }
}
