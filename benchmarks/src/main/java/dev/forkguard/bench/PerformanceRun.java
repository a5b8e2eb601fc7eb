package dev.forkguard.bench;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one entry point ({@code benchmarks/run.sh}): runs the JMH cases on JDK 17, the fork-pause
 * harness on JDK 17 and 25, FORK-mode JDK launches, start-up, hang-to-HUNG and memory, each with and without the agent side
 * by side, and rewrites docs/PERFORMANCE.md and its chart from what it measured. {@code --smoke}
 * runs the same with tiny counts (CI; timings meaningless); {@code --render FILE} renders saved
 * results again without measuring.
 *
 * <pre>
 * --agent JAR        agent jar (agent/target/forkguard-agent.jar)
 * --jdk17 DIR        JDK for JMH, start-up, hang, memory and the first fork-pause run (this JVM's)
 * --jdk25 DIR|none   JDK for the second fork-pause run (/usr/lib/jvm/temurin-25-jdk-amd64 when present)
 * --out FILE         the document (docs/PERFORMANCE.md); its chart is written beside it
 * --results FILE     where the raw results are saved (benchmarks/target/performance-results.bin)
 * --parts LIST       jmh,fork,launch,startup,hang,memory (all)
 * --commit TEXT      the commit measured, for the document
 * --baseline JAR     an earlier agent jar, measured beside the current one (memory, start-up, tracked JMH cases)
 * --baseline-name T  what the document calls it, e.g. its commit
 * </pre>
 */
public final class PerformanceRun {

    static final String CHART_NAME = "performance-fork-pause.svg";
    static final Set<String> ALL_PARTS = Set.of("jmh", "fork", "launch", "startup", "hang", "memory");

    private PerformanceRun() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        Path agent = Paths.get("agent/target/forkguard-agent.jar");
        Path jdk17 = Paths.get(System.getProperty("java.home"));
        Path defaultJdk25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
        Path jdk25 = Files.isExecutable(defaultJdk25.resolve("bin/java")) ? defaultJdk25 : null;
        Path out = Paths.get("docs/PERFORMANCE.md");
        Path saved = Paths.get("benchmarks/target/performance-results.bin");
        Path render = null;
        Set<String> parts = new HashSet<>(ALL_PARTS);
        String commit = "";
        Path baseline = null;
        String baselineName = "baseline";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--agent" -> agent = Paths.get(args[++i]);
                case "--jdk17" -> jdk17 = Paths.get(args[++i]);
                case "--jdk25" -> {
                    String v = args[++i];
                    jdk25 = v.equals("none") ? null : Paths.get(v);
                }
                case "--out" -> out = Paths.get(args[++i]);
                case "--results" -> saved = Paths.get(args[++i]);
                case "--render" -> render = Paths.get(args[++i]);
                case "--parts" -> parts = new HashSet<>(Arrays.asList(args[++i].split(",")));
                case "--commit" -> commit = args[++i];
                case "--baseline" -> baseline = Paths.get(args[++i]);
                case "--baseline-name" -> baselineName = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; see PerformanceRun's javadoc");
            }
        }
        Results results;
        if (render != null) {
            results = load(render);
        } else {
            if (!Files.isRegularFile(agent)) {
                throw new IllegalArgumentException("no agent jar at " + agent.toAbsolutePath()
                        + "; build first: mvn -B -q -DskipTests package");
            }
            Path jar = Paths.get(PerformanceRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (baseline != null && !Files.isRegularFile(baseline)) {
                throw new IllegalArgumentException("no baseline agent jar at " + baseline.toAbsolutePath());
            }
            RunConfig config = new RunConfig(smoke, agent, jar, jdk17, jdk25, baseline, baselineName);
            if (smoke) {
                // JMH refuses to run beside another JMH run (/tmp/jmh.lock); a smoke run's timings mean nothing anyway.
                System.setProperty("jmh.ignoreLock", "true");
            }
            results = measure(config, parts, commit);
            Files.createDirectories(saved.toAbsolutePath().getParent());
            try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(saved))) {
                o.writeObject(results);
            }
        }
        Path chart = out.toAbsolutePath().getParent().resolve(CHART_NAME);
        Files.createDirectories(chart.getParent());
        Files.writeString(chart, new ForkPauseChart(results.forkPause).svg(), StandardCharsets.UTF_8);
        Files.writeString(out, new PerformanceReport(results, CHART_NAME).markdown(), StandardCharsets.UTF_8);
        Progress.say("wrote %s and %s", out, chart);
    }

    private static Results measure(RunConfig config, Set<String> parts, String commit) throws Exception {
        Results results = new Results();
        long start = System.nanoTime();
        Progress.start();
        MachineInfo.describe(results.machine, config);
        results.settings.put("mode", config.smoke ? "smoke (tiny counts: the figures mean nothing)" : "full");
        results.settings.put("commit", commit);
        if (config.baselineJar != null) {
            results.settings.put("baseline", config.baselineName);
        }
        results.settings.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        results.settings.put("loadBefore", MachineInfo.loadAverage());
        results.settings.put("jmh", config.jmhForks() + " forks x (" + config.jmhWarmUps() + " warm-up + "
                + config.jmhIterations() + " measured iterations of " + config.jmhIterationMillis() + " ms)");
        results.settings.put("forks", config.forkWarmUps() + " warm-up + " + config.forkMeasured()
                + " measured forks per JVM, settle " + config.forkSettleMillis() + " ms + full GC + "
                + config.forkSettleMillis() + " ms before each");
        if (parts.contains("jmh")) {
            new JmhSuite(config).run(results);
        }
        if (parts.contains("fork")) {
            ForkPauseHarness harness = new ForkPauseHarness(config);
            harness.run(results, 17, config.jdk17);
            harness.floorAndStacksAfter(results, 17, config.jdk17);
            if (config.forkOnJdk25()) {
                harness.run(results, 25, config.jdk25);
                harness.floorAndStacksAfter(results, 25, config.jdk25);
            }
        }
        if (parts.contains("launch")) {
            LaunchHarness launches = new LaunchHarness(config);
            launches.run(results, 17, config.jdk17);
            if (config.forkOnJdk25()) {
                launches.run(results, 25, config.jdk25);
            }
        }
        if (parts.contains("startup")) {
            new StartupHarness(config).run(results, 17, config.jdk17);
        }
        if (parts.contains("hang")) {
            new HangHarness(config).run(results);
        }
        if (parts.contains("memory")) {
            new MemoryHarness(config).run(results);
        }
        results.settings.put("loadAfter", MachineInfo.loadAverage());
        results.runMinutes = (System.nanoTime() - start) / 60e9;
        return results;
    }

    private static Results load(Path file) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
            return (Results) in.readObject();
        }
    }

    /** For the smoke test: the parts a run measures by default. */
    static List<String> allParts() {
        return List.copyOf(ALL_PARTS);
    }
}
