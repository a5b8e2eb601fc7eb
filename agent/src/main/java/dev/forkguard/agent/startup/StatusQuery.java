package dev.forkguard.agent.startup;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.ReportBuilder;
import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.agent.snapshot.SnapshotRecorder;
import dev.forkguard.probe.proc.ProcTask;
import dev.forkguard.probe.proc.ProcTasks;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        try {
            ForkSnapshot s = recorder.record(0);
            List<ProcTask> named = new ArrayList<>();
            for (int tid : s.osThreadIds) {
                ProcTask t = ProcTasks.read(tid);
                if (t != null) {
                    named.add(t);
                }
            }
            ForkReport report = builder.build(s, named, null, tracking.get());
            Path path = Paths.get(file);
            try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(path,
                    Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
                JsonReporter.mapper().writeValue(out, report);
            }
        } catch (Exception e) {
            log.warn("forkguard: could not answer a status query to {}: {}", file, e.toString());
        }
    }
}
