package dev.forkguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole performance suite in smoke mode (tiny counts), exactly as {@code benchmarks/run.sh
 * --smoke} does, so every benchmark and harness keeps compiling and running. It checks that each case
 * produced a figure with and without the agent and that the document was rendered; it never looks at
 * what the timings are.
 */
class BenchmarksSmokeIT {

    private static final Path AGENT_JAR = Paths.get(System.getProperty("forkguard.bench.agentJar",
            "../agent/target/forkguard-agent.jar"));
    private static final Path BENCH_JAR = Paths.get(System.getProperty("forkguard.bench.jar",
            "target/forkguard-benchmarks.jar"));
    private static final Path JAVA_HOME = Paths.get(System.getProperty("forkguard.bench.javaHome",
            System.getProperty("java.home")));

    @TempDir
    Path dir;

    @Test
    void smokeRunMeasuresEveryCaseWithAndWithoutTheAgentAndRendersTheDocument() throws Exception {
        Path doc = dir.resolve("PERFORMANCE.md");
        Path saved = dir.resolve("results.bin");
        List<String> cmd = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/java").toString(), "-jar",
                BENCH_JAR.toString(), "--smoke", "--agent", AGENT_JAR.toString(), "--jdk17", JAVA_HOME.toString(),
                "--out", doc.toString(), "--results", saved.toString()));
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            ChildJvm.killTree(p.toHandle());
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("smoke run finished within 10 minutes:\n%s", output).isTrue();
        assertThat(p.exitValue()).as("exit code; output:\n%s", output).isZero();

        Results results = load(saved);
        assertThat(results.jmh).extracting(Results.JmhRow::label)
                .containsExactlyElementsOf(JmhSuite.CASES.stream().map(JmhSuite.Case::label).toList());
        for (Results.JmhRow row : results.jmh) {
            assertThat(row.none()).as(row.label()).isPositive().isFinite();
            assertThat(row.agent()).as(row.label()).isPositive().isFinite();
        }
        assertThat(results.forkPause).isNotEmpty().allSatisfy(f -> {
            assertThat(f.none().count()).isEqualTo(f.agent().count()).isPositive();
            assertThat(f.osThreadsAgent()).isGreaterThan(f.threads());
        });
        assertThat(results.launches).singleElement().satisfies(l -> {
            assertThat(l.noneMs().count()).isEqualTo(l.agentMs().count()).isEqualTo(l.javaHandlersMs().count())
                    .isEqualTo(l.controlMs().count()).isPositive();
            assertThat(l.agentRssAnon().median()).isPositive();
        });
        assertThat(results.startup).singleElement().satisfies(s -> assertThat(s.agentMs().count()).isPositive());
        assertThat(results.hangMs).isNotNull();
        assertThat(results.hangMs.count()).isPositive();
        assertThat(results.memory).extracting(Results.MemoryRow::scenario)
                .containsExactly("locks", "locks", "threads", "burst", "churn", "churn");

        String md = Files.readString(doc, StandardCharsets.UTF_8);
        assertThat(md).contains("## Targets", "## Hot paths (JMH, JDK 17)", "## Fork pause", "## JDK launches (fork+exec)", "## Start-up",
                "## From a hang to its HUNG line", "## Memory", "## Why targets are missed", "smoke");
        String svg = Files.readString(dir.resolve(PerformanceRun.CHART_NAME), StandardCharsets.UTF_8);
        assertThat(svg).startsWith("<svg").contains("<path d=\"M");
    }

    private static Results load(Path file) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
            return (Results) in.readObject();
        }
    }
}
