package dev.forkguard.agent.report.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.agent.logging.AgentLogging;
import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlightRecorderEventsTest {

    @TempDir
    Path dir;

    private static ForkReport report() throws Exception {
        String json = "{\"schema\":\"forkguard.fork-report/1\",\"sequence\":5,\"time\":\"2026-01-01T00:00:01Z\","
                + "\"parentPid\":4242,\"childPid\":4243,\"severity\":\"WARN\",\"headline\":\"h\",\"verdict\":\"v\","
                + "\"snapshotMicros\":1500,\"forkingThread\":{\"id\":1,\"name\":\"main\",\"state\":\"RUNNABLE\"},"
                + "\"vanishingThreads\":[{\"id\":7,\"name\":\"w\",\"state\":\"WAITING\"},"
                + "{\"id\":8,\"name\":\"forkguard-reporter\",\"state\":\"WAITING\",\"agentThread\":true}],"
                + "\"osThreads\":[{\"tid\":9,\"name\":\"VM Thread\",\"state\":\"S\",\"kind\":\"JVM_INTERNAL\"}],"
                + "\"orphanedLocks\":[{\"kind\":\"MONITOR\",\"type\":\"java.lang.Object\",\"identity\":"
                + "\"java.lang.Object@1\",\"holderId\":7,\"holderName\":\"w\"}],\"classInitInProgress\":[],"
                + "\"outcome\":{\"verdict\":\"HUNG\",\"afterMillis\":1250,\"detail\":\"d\",\"causes\":[\"c1\",\"c2\"]}}";
        return JsonReporter.mapper().readValue(json, ForkReport.class);
    }

    @Test
    void forkAndOutcomeEventsCarryTheReportsFields() throws Exception {
        FlightRecorderEvents events = FlightRecorderEvents.create(AgentLogging.logger(FlightRecorderEventsTest.class));
        Path file = dir.resolve("r.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("forkguard.Fork");
            recording.enable("forkguard.ChildOutcome");
            recording.start();
            events.fork(report());
            events.childOutcome(report());
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
        assertThat(recorded).extracting(e -> e.getEventType().getName())
                .containsExactly("forkguard.Fork", "forkguard.ChildOutcome");
        RecordedEvent fork = recorded.get(0);
        assertThat(fork.getLong("sequence")).isEqualTo(5);
        assertThat(fork.getString("forkingThread")).isEqualTo("main");
        assertThat(fork.getInt("childPid")).isEqualTo(4243);
        assertThat(fork.getInt("vanishingJavaThreads")).as("forkguard's own threads not counted").isEqualTo(1);
        assertThat(fork.getInt("vanishingOsThreads")).isEqualTo(1);
        assertThat(fork.getInt("orphanedLocks")).isEqualTo(1);
        assertThat(fork.getString("childVerdict")).isEqualTo("HUNG");
        assertThat(fork.getDuration("snapshotPause").toNanos()).isEqualTo(1_500_000);
        assertThat(fork.getInstant("forkTime").toString()).isEqualTo("2026-01-01T00:00:01Z");
        RecordedEvent outcome = recorded.get(1);
        assertThat(outcome.getString("verdict")).isEqualTo("HUNG");
        assertThat(outcome.getInt("exitCode")).isEqualTo(-1);
        assertThat(outcome.getDuration("afterFork").toMillis()).isEqualTo(1250);
        assertThat(outcome.getString("causes")).isEqualTo("c1\nc2");
    }
}
