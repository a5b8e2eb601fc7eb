package dev.forkguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link VirtualThreadForkBench} with tiny counts on the JDK 21+ it needs, so it keeps compiling
 * and running; it checks that each count gave a row with both runs, never what the timings are.
 */
class VirtualThreadForkBenchSmokeIT {

    private static final Path JDK25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    @Test
    void printsOneRowPerVirtualThreadCount() throws Exception {
        assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "virtual threads need a JDK 21+ at " + JDK25);
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(List.of(Paths.get(System.getProperty("java.home"), "bin/java").toString(),
                "-cp", System.getProperty("forkguard.bench.jar", "target/forkguard-benchmarks.jar"),
                VirtualThreadForkBench.class.getName(), "--agent",
                System.getProperty("forkguard.bench.agentJar", "../agent/target/forkguard-agent.jar"), "--jdk",
                JDK25.toString(), "--counts", "0,100", "--forks", "1,2", "--settle", "20"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            ChildJvm.killTree(p.toHandle());
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("\n\\| 0 \\| [0-9.]+ ms \\| [0-9.]+ ms \\|")
                .containsPattern("\n\\| 100 \\| [0-9.]+ ms \\| [0-9.]+ ms \\|");
    }
}
