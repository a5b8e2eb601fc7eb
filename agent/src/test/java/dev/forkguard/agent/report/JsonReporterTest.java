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
        return new JsonReporter(dir, 100, AgentLogging.logger(JsonReporterTest.class));
    }

    @Test
    void reportIsWrittenOwnerOnlyAndReadsBack() throws Exception {
        reporter().report(report(1));
        Path file = dir.resolve("forkguard-4242-1.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(JsonReporter.read(file).headline()).isEqualTo("headline");
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aSymlinkPlantedAtTheReportNameIsNeitherFollowedNorReplaced() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path planted = Files.createSymbolicLink(dir.resolve("forkguard-4242-2.json"), victim);

        reporter().report(report(2));

        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Path existing = Files.writeString(dir.resolve("forkguard-4242-3.json"), "someone else's");
        reporter().report(report(3));
        assertThat(Files.readString(existing)).isEqualTo("someone else's");
    }

    @Test
    void anUpdateReplacesTheAgentsOwnReportWithTheOutcome() throws Exception {
        JsonReporter reporter = reporter();
        reporter.report(report(4));
        reporter.update(report(4).withOutcome(
                new ForkReport.ChildOutcome("HUNG", null, null, 1500, "no CPU progress", List.of("cause"))));
        Path file = dir.resolve("forkguard-4242-4.json");
        assertThat(JsonReporter.read(file).outcome().verdict()).isEqualTo("HUNG");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void onlyTheNewestMaxReportsFilesAreKept() throws Exception {
        JsonReporter reporter = new JsonReporter(dir, 3, AgentLogging.logger(JsonReporterTest.class));
        for (int i = 1; i <= 7; i++) {
            reporter.report(report(100 + i));
            Files.setLastModifiedTime(dir.resolve("forkguard-4242-" + (100 + i) + ".json"),
                    java.nio.file.attribute.FileTime.fromMillis(1_000_000L * i));
        }
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("forkguard-4242-105.json", "forkguard-4242-106.json", "forkguard-4242-107.json");
        }
    }

    @Test
    void anUpdateOfAReportThatWasNeverWrittenWritesNothing() throws Exception {
        reporter().update(report(5).withOutcome(
                new ForkReport.ChildOutcome("EXITED", 0, null, 5, "exited", List.of())));
        assertThat(dir.resolve("forkguard-4242-5.json")).doesNotExist();
    }
}
