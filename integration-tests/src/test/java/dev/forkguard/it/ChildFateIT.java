package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.demo.ForkDemo;
import dev.forkguard.it.app.ForkModeLaunchApp;
import dev.forkguard.it.app.GcHangChildApp;
import dev.forkguard.it.app.OrphanedLockChildApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What becomes of the child: the child-side check under each policy, and the parent's watchdog
 * verdicts. Every child is bounded: the applications SIGKILL a child still running after their wait,
 * and reap it.
 */
class ChildFateIT {

    private static final String CHILD_BLOCK = "forkguard: child pid %s: thread \"main\" blocks on "
            + "java.util.concurrent.locks.ReentrantLock@";
    private static final String CREATED_AND_HELD = " created at dev.forkguard.it.app.OrphanedLockChildApp.main("
            + "OrphanedLockChildApp.java:";

    @TempDir
    Path tmp;

    @Test
    void orphanedLockUnderReportPrintsTheBlockInTheChildAndTheParentCallsItHung() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(OrphanedLockChildApp.class).agentArgs("reportDir=" + reports)
                .args("4000").retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        // The JSON report was published with RUNNING, replaced with HUNG, and, the watchdog watching on
        // after HUNG, with EXITED once the application had killed the child (at the latest at JVM exit).
        Path report;
        try (Stream<Path> s = Files.list(reports)) {
            report = s.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
        com.fasterxml.jackson.databind.JsonNode outcome = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(report.toFile()).get("outcome");
        assertThat(outcome.get("verdict").asText()).as(r.toString()).isEqualTo("EXITED");

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("app: child " + child + " still running after 4000 ms: killed with SIGKILL");
        assertThat(r.stderr).as(r.toString())
                .contains(String.format(CHILD_BLOCK, child))
                .contains(CREATED_AND_HELD)
                .contains(", held at fork time by thread \"inventory-writer\" (not in this process), locked at ")
                .contains("; childPolicy=report: this acquisition blocks for ever\n")
                .containsPattern("ERROR fork #1 in pid \\d+: child pid " + child + " HUNG \\(no CPU progress for "
                        + "\\d+ ms, blocked in a futex")
                .contains("  - orphaned lock: java.util.concurrent.locks.ReentrantLock@")
                .contains("held at fork time by \"inventory-writer\", which does not exist in the child")
                .contains("a hung JVM child ignores SIGTERM");
    }

    @Test
    void orphanedLockUnderThrowGivesTheApplicationAnErrorToCatch() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(OrphanedLockChildApp.class).agentArgs("childPolicy=throw").args("4000")
                .retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code 42");
        assertThat(r.stderr).contains(String.format(CHILD_BLOCK, child))
                .contains("; childPolicy=throw: throwing OrphanedLockError instead of blocking for ever")
                .contains("Child: EXITED").doesNotContain("HUNG");
    }

    @Test
    void orphanedLockUnderExitEndsTheChildWithTheGivenCode() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(OrphanedLockChildApp.class)
                .agentArgs("childPolicy=exit,childExitCode=71").args("4000").retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code 71");
        assertThat(r.stderr).contains("; childPolicy=exit: exiting with code 71").doesNotContain("HUNG");
    }

    /** The child path allocates nothing: with the heap 90% full it still reports, throws or exits. */
    @ParameterizedTest
    @CsvSource({
        "report, still running after 4000 ms: killed with SIGKILL, this acquisition blocks for ever",
        "throw, exited with code 42, throwing OrphanedLockError instead of blocking for ever",
        "exit, exited with code 70, exiting with code 70"
    })
    void eachPolicyWorksInAChildWhoseHeapIsAlmostFull(String policy, String outcome, String message) throws Exception {
        ForkedJvm.Result r = runFullHeapChild(policy);
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString()).contains("app: heap filled to 9")
                .contains("app: child " + child + " " + outcome);
        assertThat(r.stderr).contains(String.format(CHILD_BLOCK, child)).contains(message);
    }

    private static ForkedJvm.Result runFullHeapChild(String policy) throws Exception {
        return ForkedJvm.app(OrphanedLockChildApp.class).jvmArg("-Xmx64m")
                .agentArgs("childPolicy=" + policy).args("4000", "fillHeap").retryIfAChildCaughtJvmLocks().run();
    }

    /** Locks without an owner field (Semaphore, StampedLock) and read-write locks are caught too. */
    @ParameterizedTest
    @CsvSource({
        "semaphore, java.util.concurrent.Semaphore@, taken at fork time (this lock records no owner",
        "stamped, java.util.concurrent.locks.StampedLock@, taken at fork time (this lock records no owner",
        "readwrite, java.util.concurrent.locks.ReentrantReadWriteLock@, held at fork time by thread \"inventory-writer\""
    })
    void otherLockKindsThrowInTheChildToo(String kind, String identity, String held) throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(OrphanedLockChildApp.class).agentArgs("childPolicy=throw")
                .args("4000", kind).retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code 42");
        assertThat(r.stderr).contains("forkguard: child pid " + child + ": thread \"main\" blocks on " + identity)
                .contains(held);
    }

    @Test
    void timedTryLockKeepsItsTimeOutUnderReport() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(OrphanedLockChildApp.class).args("6000", "timed").retryIfAChildCaughtJvmLocks().run();
        String child = r.childPid();
        // 3: tryLock(1 s) returned false, as it would have without forkguard.
        assertThat(r.stdout).as(r.toString()).contains("app: child " + child + " exited with code 3");
        assertThat(r.stderr).contains("; childPolicy=report: this timed acquisition will time out");
    }

    @Test
    void childHangingAtItsFirstGcIsCalledHungWithTheVmThreadCause() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(GcHangChildApp.class).jvmArg("-Xmx64m").args("4000").run();
        String child = r.childPid();
        assertThat(r.stdout).as(r.toString())
                .contains("app: child " + child + " still running after 4000 ms: killed with SIGKILL");
        assertThat(r.stderr).as(r.toString())
                .containsPattern("child pid " + child + " HUNG \\(no CPU progress")
                .contains("  - JVM-internal: no VM Thread in the child, so its first garbage collection or safepoint "
                        + "never completes");
    }

    @Test
    void childThatExitsAtOnceIsCalledExitedWithItsCode() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(ForkDemo.class).run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stderr).contains("Child: EXITED (exited without exec, code 0)").doesNotContain("HUNG");
    }

    @Test
    void forkModeLaunchesAreSilentWhileOneForkWithoutExecIsReported() throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ForkModeLaunchApp.class).agentArgs("reportDir=" + reports)
                .jvmArg("-Djdk.lang.Process.launchMechanism=FORK").args("1000", "/bin/true").timeout(java.time.Duration.ofSeconds(240)).run();

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("app: 1000 launches of /bin/true, 0 failed");
        r.assertOnlyFork1Reported(reports);
    }

    @Test
    void vforkLaunchesAreSilent() throws Exception {
        ForkedJvm.Result r = ForkedJvm.app(ForkModeLaunchApp.class)
                .jvmArg("-Djdk.lang.Process.launchMechanism=VFORK").args("300", "/bin/true").run();
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("app: 300 launches of /bin/true, 0 failed");
        assertThat(r.agentLines("WARN")).as(r.toString()).hasSize(1)
                .allSatisfy(line -> assertThat(line).startsWith("WARN  fork #1 in pid "));
    }
}
