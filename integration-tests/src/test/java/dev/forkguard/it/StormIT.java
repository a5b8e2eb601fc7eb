package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.it.app.ForkPauseApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fork storm neither floods the log nor fills the disk, and says what it held back. */
class StormIT {

    @TempDir
    Path tmp;

    @Test
    void aStormOfForksIsLoggedWithinTheRateAndKeepsAtMostMaxReportsFiles() throws Exception {
        Path reports = tmp.resolve("reports");
        // 20 warm-up forks and 200 measured ones, each child exiting at once.
        ForkedJvm.Result r = ForkedJvm.app(ForkPauseApp.class)
                .agentArgs("reportDir=" + reports + ",maxReports=20,logRate=5").args("2", "200").run();
        assertThat(r.exitCode).as(r.toString()).isZero();

        List<String> headlines = r.agentLines("INFO  fork #").stream().filter(l -> l.contains(" by thread ")).toList();
        assertThat(headlines).as(r.toString()).hasSize(5);
        // A child's later verdict is logged only for a fork logged in full (#1 to #5 here; none hangs).
        // A hung child's ERROR line is logged whatever the rate: a forked JVM child may hang, agent or not.
        assertThat(r.stderrLines(" fork #")).as(r.toString()).isNotEmpty()
                .filteredOn(l -> !l.contains("[forkguard] ERROR ")).allSatisfy(l -> assertThat(l).matches(
                        ".*\\[forkguard\\] (INFO|WARN)  fork #[1-5] in pid .*"));
        Matcher held = Pattern.compile("WARN  forkguard: (\\d+) more fork reports were not logged \\(logRate=5 a minute\\)")
                .matcher(r.stderr);
        assertThat(held.find()).as(r.toString()).isTrue();
        assertThat(Integer.parseInt(held.group(1))).isEqualTo(220 - 5);
        try (Stream<Path> s = Files.list(reports)) {
            List<String> files = s.map(p -> p.getFileName().toString()).toList();
            assertThat(files).hasSize(20).allSatisfy(f -> assertThat(f).matches("forkguard-\\d+-\\d+-\\d+\\.json"));
        }
    }
}
