package dev.forkguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.agent.logging.AgentLogging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReporterTest {

    @TempDir
    Path dir;

    private static ForkReport report(long sequence) {
        return new ForkReport(ForkReport.SCHEMA, "test", sequence, "2026-01-01T00:00:00Z", 4242, 4243, "17",
                "WARN", "headline", "verdict", 10, 2000, null, null, List.of(), List.of(), List.of(), List.of(),
                new ForkReport.Tracking(0, 0, 0, 0), null);
    }

    private JsonReporter reporter() {
        return new JsonReporter(dir, "777", 100, AgentLogging.logger(JsonReporterTest.class));
    }

    @Test
    void reportIsWrittenOwnerOnlyAndReadsBack() throws Exception {
        reporter().report(report(1));
        Path file = dir.resolve("forkguard-4242-777-1.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(JsonReporter.read(file).headline()).isEqualTo("headline");
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aSymlinkPlantedAtTheReportNameIsNeitherFollowedNorReplaced() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path planted = Files.createSymbolicLink(dir.resolve("forkguard-4242-777-2.json"), victim);

        reporter().report(report(2));

        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Path existing = Files.writeString(dir.resolve("forkguard-4242-777-3.json"), "someone else's");
        reporter().report(report(3));
        assertThat(Files.readString(existing)).isEqualTo("someone else's");
    }

    @Test
    void anUpdateReplacesTheAgentsOwnReportWithTheOutcome() throws Exception {
        JsonReporter reporter = reporter();
        reporter.report(report(4));
        reporter.update(report(4).withOutcome(
                new ForkReport.ChildOutcome("HUNG", null, null, 1500, "no CPU progress", List.of("cause"))));
        Path file = dir.resolve("forkguard-4242-777-4.json");
        assertThat(JsonReporter.read(file).outcome().verdict()).isEqualTo("HUNG");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void onlyTheNewestMaxReportsFilesAreKept() throws Exception {
        JsonReporter reporter = new JsonReporter(dir, "777", 3, AgentLogging.logger(JsonReporterTest.class));
        for (int i = 1; i <= 7; i++) {
            reporter.report(report(100 + i));
        }
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("forkguard-4242-777-105.json", "forkguard-4242-777-106.json", "forkguard-4242-777-107.json");
        }
    }

    @Test
    void pruningLeavesReportsOfOtherJvmsAlone() throws Exception {
        // Another JVM with the same pid (an earlier container run, another pid namespace), older files.
        JsonReporter other = new JsonReporter(dir, "555", 3, AgentLogging.logger(JsonReporterTest.class));
        for (int i = 1; i <= 3; i++) {
            other.report(report(i));
        }
        JsonReporter mine = new JsonReporter(dir, "777", 2, AgentLogging.logger(JsonReporterTest.class));
        for (int i = 1; i <= 5; i++) {
            mine.report(report(i));
        }
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "forkguard-4242-555-1.json", "forkguard-4242-555-2.json", "forkguard-4242-555-3.json",
                    "forkguard-4242-777-4.json", "forkguard-4242-777-5.json");
        }
    }

    @Test
    void aNameTakenByAnotherJvmGetsARandomSuffixAndBothReportsAreKept() throws Exception {
        Path theirs = Files.writeString(dir.resolve("forkguard-4242-777-9.json"), "their report");
        JsonReporter mine = reporter();
        mine.report(report(9));
        mine.update(report(9).withOutcome(new ForkReport.ChildOutcome("EXITED", 0, null, 5, "exited", List.of())));
        assertThat(Files.readString(theirs)).isEqualTo("their report");
        List<Path> ours;
        try (var s = Files.list(dir)) {
            ours = s.filter(p -> p.getFileName().toString().matches("forkguard-4242-777-9-[0-9a-f]+\\.json")).toList();
        }
        assertThat(ours).hasSize(1);
        assertThat(JsonReporter.read(ours.get(0)).outcome().verdict()).isEqualTo("EXITED");
    }

    @Test
    void anUpdateOfAReportThatWasNeverWrittenWritesNothing() throws Exception {
        reporter().update(report(5).withOutcome(
                new ForkReport.ChildOutcome("EXITED", 0, null, 5, "exited", List.of())));
        assertThat(dir.resolve("forkguard-4242-777-5.json")).doesNotExist();
    }
}
