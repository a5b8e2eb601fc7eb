package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A C program creates the JVM over JNI with the agent, starts Java threads, and forks from C. */
class CHostIT {

    private static final Path SOURCE = Paths.get("src/test/c/jni_host.c").toAbsolutePath();

    @TempDir
    Path tmp;

    private static String[] run(List<String> cmd, long seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!ended) {
            p.destroyForcibly();
            p.waitFor();
        }
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    private Path buildHost() throws Exception {
        Path jdk = ForkedJvm.JAVA_HOME;
        Path host = tmp.resolve("jni_host");
        String[] build = run(List.of("gcc", "-std=c11", "-pthread", "-D_DEFAULT_SOURCE", "-Wall", "-Werror",
                "-I" + jdk.resolve("include"), "-I" + jdk.resolve("include/linux"), SOURCE.toString(),
                "-L" + jdk.resolve("lib/server"), "-ljvm", "-Wl,-rpath," + jdk.resolve("lib/server"), "-rdynamic", "-o",
                host.toString()), 120);
        assertThat(build[0]).as(build[1]).isEqualTo("0");
        return host;
    }

    @Test
    void aForkMadeInCIsReportedAndItsJavaUsingChildCalledHung() throws Exception {
        Path host = buildHost();
        String[] r = run(List.of(host.toString(), "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(),
                "-Djava.class.path=" + ForkedJvm.APP_JAR.toAbsolutePath(), "5"), 90);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).as(r[1])
                .containsPattern("host: forked child (\\d+) from C")
                .containsPattern("WARN  fork #1 in pid (\\d+) by thread \"main\" \\(tid \\1\\)")
                // Each frame verified to call the one before; the walk stops at libc's call of main,
                // made through a register, instead of listing libc's start-up frames unverified.
                .containsPattern("Native code that called fork\\(\\) \\(likely callers, nearest first\\):\n"
                        + "      at fork_worker_process\\+0x[0-9a-f]+ \\(jni_host\\)\n"
                        + "      at main\\+0x[0-9a-f]+ \\(jni_host\\)\n"
                        + "Threads that will not exist in the child:\n")
                .containsPattern(PythonHostIT.HOST_WORK_POOL)
                .containsPattern("ReentrantLock@[0-9a-f]+ held by \"model-cache-loader\"")
                .containsPattern("ERROR fork #1 in pid \\d+: child pid \\d+ HUNG")
                .contains("still running after 5 s: killed");
    }

    /**
     * Forks from threads the JVM does not know: JNA attaches such a thread for each fork handler and
     * detaches it after, so its two handlers run under two Thread objects. Each fork is reported, and
     * the later fork from the main thread too (a fork-in-flight slot keyed by Thread leaked before,
     * and the next agent thread dump waited for that clone for ever).
     */
    @Test
    void forksFromThreadsTheJvmDoesNotKnowAreEachReported() throws Exception {
        Path host = buildHost();
        String[] r = run(List.of(host.toString(), "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(),
                "-Djava.class.path=" + ForkedJvm.APP_JAR.toAbsolutePath(), "5", "3"), 90);
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).as(r[1])
                .containsPattern("fork #1 in pid \\d+ by thread \"Thread-\\d+\" \\(tid \\d+\\), child pid \\d+: .*\nChild: EXITED")
                .containsPattern("fork #3 in pid \\d+ by thread")
                .containsPattern("WARN  fork #4 in pid (\\d+) by thread \"main\" \\(tid \\1\\)")
                .containsPattern("ERROR fork #4 in pid \\d+: child pid \\d+ HUNG")
                .contains("still running after 5 s: killed");
    }
}
