package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.it.app.ConcurrentForksApp;
import dev.forkguard.it.app.WorkerForkApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM as pid 1 in a pid namespace, as in every container, run after run with one report directory
 * (unshare -p -f --mount-proc; the tests run as root, as CI does): each run's reports are kept, and one
 * run's pruning leaves the other's alone.
 */
class ContainerReportsIT {

    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void twoRunsAsPid1KeepTheirReportsAndPruneOnlyTheirOwn() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result first = ForkedJvm.app(WorkerForkApp.class).launcher("unshare", "-p", "-f", "--mount-proc")
                .agentArgs("reportDir=" + reports).args("exit", "5000").run();
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.stderr).as(first.toString()).contains("active in pid 1 ");
        List<String> afterFirst = names(reports);
        assertThat(afterFirst).hasSize(1);

        ForkedJvm.Result second = ForkedJvm.app(ConcurrentForksApp.class)
                .launcher("unshare", "-p", "-f", "--mount-proc")
                .agentArgs("reportDir=" + reports + ",maxReports=2").args("1", "4").run();
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.stderr).as(second.toString()).contains("active in pid 1 ")
                .doesNotContain("already exists").doesNotContain("not written");

        List<String> all = names(reports);
        // The first run's report, untouched, and the second run's newest two of four.
        assertThat(all).as(second.toString()).hasSize(3).containsAll(afterFirst)
                .allSatisfy(n -> assertThat(n).matches("forkguard-1-\\d+-\\d+\\.json"));
        assertThat(all.stream().filter(n -> !afterFirst.contains(n)))
                .allSatisfy(n -> assertThat(n).matches("forkguard-1-\\d+-[34]\\.json"));
        for (String n : all) {
            assertThat(new ObjectMapper().readTree(reports.resolve(n).toFile()).get("parentPid").asInt()).isEqualTo(1);
        }
    }
}
