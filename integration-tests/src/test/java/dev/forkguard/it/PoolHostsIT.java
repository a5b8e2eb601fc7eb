package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Python process pools (fork start method) in a JPype program under onHung=kill: idle pure-Python
 * workers wait on the pool's shared semaphore or its pipe and are never HUNG, never ended; a worker
 * that does Java work hangs and is ended, and the pool's caller gets a failure instead of a hang.
 * Needs Debian's python3-jpype (see PythonHostIT).
 */
class PoolHostsIT {

    private static final Path SCRIPT = Paths.get("src/test/python/pool_hosts.py").toAbsolutePath();

    @BeforeAll
    static void jpypeInstalled() throws Exception {
        PythonHostIT.jpypeInstalled();
    }

    private static String python(String mode, String agentArgs) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(),
                ForkedJvm.JAVA_HOME.resolve("lib/server/libjvm.so").toString(),
                "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath() + "=" + agentArgs,
                ForkedJvm.APP_JAR.toAbsolutePath().toString(), mode).redirectErrorStream(true).start();
        byte[] out;
        try {
            // Bounded: the script's own waits end within a minute; the read ends when it does.
            out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void idlePoolWorkersAreNeverHungAndNeverKilled() throws Exception {
        String out = python("pool-idle", "onHung=kill,hungGrace=1");
        assertThat(out).as(out).containsPattern("interrupted \\[.*'forkguard-reporter'")
                .contains("pool: same workers alive: True")
                .containsPattern("RUNNING \\(still running without exec 5 s after the fork; waits on: "
                        + "(a futex shared with other processes|a read on pipe)")
                .doesNotContain(" HUNG (").doesNotContain("KILLED").contains("main: done");
        assertEveryForkListsTheJvmInternalThreads(out, 3);
    }

    /**
     * Each fork report names the JVM's own threads, which vanish in every child. The script interrupts
     * the agent's threads first: an interrupted reporter read no OS thread's name and listed none
     * ("and 0 other threads").
     */
    static void assertEveryForkListsTheJvmInternalThreads(String out, int forks) {
        Matcher headlines = Pattern
                .compile("(INFO|WARN) {2}fork #\\d+ in pid \\d+ by thread .*: .* and (\\d+) other threads vanish")
                .matcher(out);
        int reports = 0;
        while (headlines.find()) {
            reports++;
            assertThat(Integer.parseInt(headlines.group(2))).as(out).isPositive();
        }
        assertThat(reports).as(out).isEqualTo(forks);
        Matcher internal = Pattern
                .compile("\\n  JVM-internal threads: [^\\n]*\"VM Thread\" \\(tid \\d+\\)").matcher(out);
        int listed = 0;
        while (internal.find()) {
            listed++;
        }
        assertThat(listed).as(out).isEqualTo(forks);
    }

    @Test
    void processPoolExecutorWorkerDoingJavaWorkGivesBrokenProcessPool() throws Exception {
        String out = python("executor-java", "onHung=kill");
        assertThat(out).as(out)
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ HUNG \\(no CPU progress")
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ KILLED \\(.*forkguard ended it with SIGKILL")
                .containsPattern("executor: BrokenProcessPool after \\d+\\.\\d s")
                .contains("main: done");
    }

    @Test
    void multiprocessingPoolReplacesTheEndedWorkerAndTheTaskIsLost() throws Exception {
        String out = python("pool-java", "onHung=kill");
        assertThat(out).as(out)
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ KILLED \\(")
                .contains("pool: no result after 20")
                .contains("replaced: True")
                .contains("main: done");
    }
}
