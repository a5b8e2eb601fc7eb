package dev.forkguard.bench;

import dev.forkguard.bench.subject.ForkPauseTarget;
import dev.forkguard.bench.subject.SnapshotCostTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fork pause against live threads and tracked locks, each configuration in two fresh JVMs, one
 * without the agent and one with it, run one right after the other.
 */
final class ForkPauseHarness {

    /**
     * Every lock tracked, so the lock column is the number the snapshot reads; JSON reports, for the
     * time each snapshot took inside the prepare handler ({@code snapshotMicros}), written after the
     * fork and finished before the next (the target waits until the JVM is quiet).
     */
    static final String AGENT_OPTIONS = "trackRate=0,reportDir=";

    private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");
    private static final Pattern SNAPSHOT_MICROS = Pattern.compile("\"snapshotMicros\"\\s*:\\s*(\\d+)");

    private final RunConfig config;

    ForkPauseHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results, int jdk, Path javaHome) throws Exception {
        for (int threads : config.forkThreads()) {
            for (int locks : config.forkLocks()) {
                ChildJvm.Result none = target(javaHome, threads, locks, null);
                Path reports = Files.createTempDirectory("forkguard-bench-reports-");
                ChildJvm.Result agent;
                Stats snapshots;
                try {
                    agent = target(javaHome, threads, locks, reports);
                    snapshots = snapshotMillis(reports);
                } finally {
                    deleteTree(reports);
                }
                Results.ForkRow row = new Results.ForkRow(jdk, none.text("javaVersion"), threads, locks,
                        (int) none.one("osThreads"), (int) agent.one("osThreads"),
                        Stats.ofNanosAsMillis(none.longs("forkNanos")), Stats.ofNanosAsMillis(agent.longs("forkNanos")),
                        none.one("firstForkNanos") / 1e6, agent.one("firstForkNanos") / 1e6,
                        (int) none.one("unquietForks"), (int) agent.one("unquietForks"), snapshots,
                        Stats.ofNanosAsMillis(none.longs("forkCpuNanos")), Stats.ofNanosAsMillis(agent.longs("forkCpuNanos")));
                results.forkPause.add(row);
                Progress.say("fork pause JDK %d, %d threads, %d locks: none %.3f ms, agent %.3f ms (+%.2fx)", jdk,
                        threads, locks, row.none().median(), row.agent().median(), row.addedRatio());
            }
        }
    }

    /** The snapshot's two JVM calls alone, without the agent, at each thread count (JDK 17). */
    void snapshotCost(Results results) throws Exception {
        for (int threads : config.forkThreads()) {
            ChildJvm.Result r = config.jvm(config.jdk17, SnapshotCostTarget.class)
                    .args(threads, config.forkWarmUps(), config.forkMeasured(), config.forkSettleMillis())
                    .timeoutSeconds(180).run();
            Results.SnapshotCostRow row = new Results.SnapshotCostRow(threads, Stats.ofNanosAsMillis(r.longs("dumpNanos")),
                    Stats.ofNanosAsMillis(r.longs("listNanos")));
            results.snapshotCost.add(row);
            Progress.say("snapshot calls alone, %d threads: dump %.3f ms, /proc/self/task %.3f ms", threads,
                    row.dumpMs().median(), row.listMs().median());
        }
    }

    /** Snapshot times of the measured forks (after the warm-up ones), from the agent's JSON reports; null if none. */
    private Stats snapshotMillis(Path reports) throws IOException {
        List<Long> nanos = new ArrayList<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String json = Files.readString(f, StandardCharsets.UTF_8);
                Matcher seq = SEQUENCE.matcher(json);
                Matcher micros = SNAPSHOT_MICROS.matcher(json);
                if (seq.find() && micros.find() && Long.parseLong(seq.group(1)) > config.forkWarmUps()) {
                    nanos.add(Long.parseLong(micros.group(1)) * 1000);
                }
            }
        }
        return nanos.isEmpty() ? null : Stats.ofNanosAsMillis(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    private ChildJvm.Result target(Path javaHome, int threads, int locks, Path reportDir) throws Exception {
        ChildJvm jvm = config.jvm(javaHome, ForkPauseTarget.class)
                .args(threads, locks, config.forkWarmUps(), config.forkMeasured(), config.forkSettleMillis())
                .timeoutSeconds(180);
        if (reportDir != null) {
            jvm.agent(config.agentJar, AGENT_OPTIONS + reportDir.toAbsolutePath());
        }
        return jvm.run();
    }
}
