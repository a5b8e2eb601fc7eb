package dev.forkguard.agent.startup;

import dev.forkguard.agent.child.CloneGate;
import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.ReportBuilder;
import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.agent.snapshot.SnapshotRecorder;
import dev.forkguard.probe.proc.ProcTasks;
import java.nio.file.Paths;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Answers the CLI's {@code status}: "what would a fork do now?". Takes a snapshot as the prepare
 * handler would (no fork happens) and writes it as a report to the file the CLI named, created 0600
 * and never over an existing file or through a link.
 */
final class StatusQuery {

    private StatusQuery() {}

    static void answer(String file, SnapshotRecorder recorder, ReportBuilder builder,
            Supplier<ForkReport.Tracking> tracking, Logger log) {
        if (recorder == null) {
            return;
        }
        CloneGate.workStarting();
        try {
            ForkSnapshot s = recorder.complete(recorder.record(0));
            ForkReport report = builder.build(s, ProcTasks.read(s.osThreadIds()), null, tracking.get());
            JsonReporter.writeNew(report, Paths.get(file));
        } catch (Exception e) {
            log.warn("forkguard: could not answer a status query to {}: {}", file, e.toString());
        } finally {
            CloneGate.workDone();
        }
    }
}
