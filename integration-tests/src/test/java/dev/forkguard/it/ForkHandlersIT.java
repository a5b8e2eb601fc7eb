package dev.forkguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.it.app.ForkModeLaunchApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
        assertThat(r.agentLines("WARN")).as(r.toString()).hasSize(1)
                .allSatisfy(line -> assertThat(line).startsWith("WARN  fork #1 in pid "));
        assertThat(r.agentLines("ERROR")).isEmpty();
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).endsWith("-1.json");
    }
}
