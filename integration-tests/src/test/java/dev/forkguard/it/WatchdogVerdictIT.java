package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkguard.it.app.WorkerForkApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog's verdicts where names mislead: forks from a worker thread (the child is named after
 * it), children that rename themselves, children that exit before the first look, and a child that
 * sleeps. Every child is bounded: the application SIGKILLs it after its wait and reaps it.
 */
class WatchdogVerdictIT {

    @TempDir
    Path tmp;

    /** The only report in {@code dir}. */
    static JsonNode onlyReport(Path dir, ForkedJvm.Result r) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
        }
        assertThat(files).as(r.toString()).hasSize(1);
        return new ObjectMapper().readTree(files.get(0).toFile());
    }

    @Test
    void aChildOfAWorkerThreadThatExitsAtOnceIsExitedAndItsReportKept() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(WorkerForkApp.class).agentArgs("reportDir=" + reports)
                .args("exit", "5000").retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("app: child " + child + " exited with code 0");
        assertThat(r.stderr).as(r.toString())
                .containsPattern("fork #1 in pid \\d+ by thread \"order-worker\" \\(tid \\d+\\), child pid " + child)
                .doesNotContain("ran exec").doesNotContain("child pid " + child + " HUNG");
        JsonNode report = onlyReport(reports, r);
        assertThat(report.get("childPid").asText()).isEqualTo(child);
        assertThat(report.get("outcome").get("verdict").asText()).as(r.toString()).isEqualTo("EXITED");
    }

    @Test
    void aChildThatRenamesItselfAndExitsIsExited() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(WorkerForkApp.class).agentArgs("reportDir=" + reports)
                .args("rename-exit", "5000").retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code 0");
        JsonNode outcome = onlyReport(reports, r).get("outcome");
        assertThat(outcome.get("verdict").asText()).as(r.toString()).isEqualTo("EXITED");
        assertThat(outcome.get("exitCode").asInt()).isZero();
    }

    @Test
    void aChildThatRenamesItselfAndExecsIsExecAndNotReported() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(WorkerForkApp.class).agentArgs("reportDir=" + reports + ",logLevel=debug")
                .args("rename-exec", "10000").retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        // /bin/sleep 1 ran and ended by itself.
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code 0");
        assertThat(r.stderr).as(r.toString())
                .containsPattern("fork #1 in pid \\d+: child pid " + child + " ran exec after \\d+ ms; nothing to report")
                .doesNotContain("INFO  fork #1").doesNotContain("WARN  fork #1");
        try (Stream<Path> s = Files.list(reports)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    /** Thread.sleep is a timed wait: the child can wake by itself, so it is never HUNG, and never ended. */
    @Test
    void aSleepingChildIsRunningNeverHungAndNeverKilled() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(WorkerForkApp.class)
                .agentArgs("reportDir=" + reports + ",watchdog=3,onHung=kill,hungGrace=1")
                .args("sleep", "9000", "60000").run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString())
                .contains("app: child " + child + " still running after 9000 ms: killed with SIGKILL");
        assertThat(r.stderr).as(r.toString())
                .containsPattern("child pid " + child + " RUNNING \\(still running without exec 3 s after the fork; "
                        + "waits on: a timed futex wait")
                .doesNotContain("child pid " + child + " HUNG").doesNotContain("KILLED");
        assertThat(r.agentLines("ERROR")).as(r.toString()).isEmpty();
        // The application's SIGKILL (and its reaping) is recorded as what became of the child, after RUNNING.
        assertThat(onlyReport(reports, r).get("outcome").get("verdict").asText()).as(r.toString())
                .isEqualTo("EXITED");
    }
}
