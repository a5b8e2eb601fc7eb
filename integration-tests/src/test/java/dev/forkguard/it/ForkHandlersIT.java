package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.it.app.ForkModeLaunchApp;
import dev.forkguard.it.app.VirtualThreadLaunchApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both kinds of fork handlers, the agent's C ones (default) and the JNA-only Java fallback
 * ({@code forkHandlers=java}), keep JDK launches silent and report the one fork without exec the same
 * way. A C-handler fork inside a launch never enters Java (counted in {@code AtforkLibraryTest}).
 */
class ForkHandlersIT {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "forkHandlers={0}")
    @CsvSource({"native, C", "java, Java"})
    void forkModeLaunchesAreSilentAndTheForkWithoutExecIsReported(String handlers, String kind) throws Exception {
        Path reports = tmp.resolve("reports");
        ForkedJvm.Result r = ForkedJvm.app(ForkModeLaunchApp.class)
                .agentArgs("forkHandlers=" + handlers + ",reportDir=" + reports)
                .jvmArg("-Djdk.lang.Process.launchMechanism=FORK").args("200", "/bin/true")
                .timeout(java.time.Duration.ofSeconds(180)).run();

        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.stdout).contains("app: 200 launches of /bin/true, 0 failed");
        assertThat(r.stderrLines("fork handlers registered via")).as(r.toString()).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("(" + kind + " handlers)"));
        assertThat(r.stderr).doesNotContain("using its Java fork handlers");
        r.assertOnlyFork1Reported(reports);
    }

    /**
     * Virtual threads keep their launch depth in Java (C's thread-local state is their carrier's, and
     * they park inside a launch): their FORK-mode launches stay silent, and a later fork of the main
     * thread is still reported. JDK 21+: on the JDK 17 run, this aims at JDK 25.
     */
    @Test
    void launchesFromVirtualThreadsAreSilentAndLeaveNoCarrierCountedAsLaunching() throws Exception {
        Path java = ForkedJvm.javaFeature() >= 21 ? ForkedJvm.JAVA_HOME
                : Path.of(System.getProperty("forkguard.it.jdk25Home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        assertThat(java.resolve("bin/java")).as("JDK 21+ needed for this case").exists();
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        List<String> cmd = new ArrayList<>(List.of(java.resolve("bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djdk.lang.Process.launchMechanism=FORK",
                "-Djdk.virtualThreadScheduler.parallelism=2",
                "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(), "-cp", ForkedJvm.APP_JAR.toString(),
                VirtualThreadLaunchApp.class.getName(), "8", "25", "/bin/true"));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished;
        try {
            finished = p.waitFor(180, TimeUnit.SECONDS);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        String all = String.join(" ", cmd) + "\n" + stdout + "\n" + stderr;
        assertThat(finished).as(all).isTrue();
        assertThat(p.exitValue()).as(all).isZero();
        assertThat(stdout).as(all).contains("app: 200 launches of /bin/true from 8 virtual threads, 0 failed");
        assertThat(stderr).as(all).contains("(C handlers)")
                .containsPattern("fork #1 in pid \\d+ by thread \"main\"")
                .doesNotContain("fork #2").doesNotContain("ERROR");
    }
}
