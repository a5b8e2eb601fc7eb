package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario: Python hosts a JVM through JPype (Debian's python3-jpype, /usr/bin/python3),
 * starts a Java pool, and multiprocessing forks. Installs python3-jpype itself when missing (as root,
 * as CI runs), and fails with the reason when it cannot.
 */
class PythonHostIT {

    private static final Path SCRIPT = Paths.get("src/test/python/fork_with_pool.py").toAbsolutePath();
    private static final Path JPYPE_JAR = Paths.get("/usr/share/java/org.jpype.jar");

    @BeforeAll
    static void jpypeInstalled() throws Exception {
        if (!Files.exists(JPYPE_JAR)) {
            run(List.of("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                    + "python3-jpype"), 600);
        }
        assertThat(JPYPE_JAR).as("python3-jpype is needed: apt-get install python3-jpype (as root)").exists();
    }

    private static String[] run(List<String> cmd, long seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    private static String python(String method) throws Exception {
        String[] r = run(List.of("/usr/bin/python3", SCRIPT.toString(),
                ForkedJvm.JAVA_HOME.resolve("lib/server/libjvm.so").toString(),
                "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(), ForkedJvm.APP_JAR.toAbsolutePath().toString(),
                method, "5"), 120);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        return r[1];
    }

    @Test
    void multiprocessingForkOfAJvmHostIsReportedAndTheChildCalledHung() throws Exception {
        String out = python("fork");
        assertThat(out).as(out)
                .containsPattern("WARN  fork #1 in pid (\\d+) by thread \"main\" \\(tid \\1\\)")
                // Debian links libpython into the interpreter; os.fork's own function is static, so it
                // shows as an offset. Its caller cannot be verified (its start is unknown, and the
                // interpreter calls it through a register): the list ends there, with no stale frame.
                .containsPattern("Native code that called fork\\(\\) \\(likely callers, nearest first\\):\n"
                        + "      at python3\\.\\d+\\+0x[0-9a-f]+\n"
                        + "Threads that will not exist in the child:\n")
                .containsPattern("\"pool-1-thread-1\" #\\d+ [A-Z_]+, worker of java\\.util\\.concurrent\\."
                        + "ThreadPoolExecutor@[0-9a-f]+ created at dev\\.forkguard\\.it\\.app\\.HostWork\\.start")
                .containsPattern("ReentrantLock@[0-9a-f]+ held by \"model-cache-loader\"")
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ HUNG")
                .contains("  - JVM-internal: no VM Thread in the child")
                .contains("still running after 5 s: killed")
                .doesNotContain("OrphanedLockCheck.warmUp");
    }

    @Test
    void spawnAndForkserverRaiseNoFalseAlarm() throws Exception {
        for (String method : List.of("spawn", "forkserver")) {
            String out = python(method);
            assertThat(out).as(out).contains("child: python work done").contains("exit code 0")
                    .doesNotContain("WARN  fork #").doesNotContain("HUNG");
        }
    }
}
