package dev.forkguard.bench;

import dev.forkguard.bench.subject.ForkPauseTarget;
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
    static final String STACKS_AFTER_OPTIONS = "trackRate=0,stacks=after,reportDir=";

    private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");
    private static final Pattern SNAPSHOT_MICROS = Pattern.compile("\"snapshotMicros\"\\s*:\\s*(\\d+)");
    private static final Pattern STACKS_LATE_MICROS = Pattern.compile("\"stacksAfterForkMicros\"\\s*:\\s*(\\d+)");

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
                    snapshots = reportedMillis(reports, SNAPSHOT_MICROS);
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

    /**
     * At 0 locks and each thread count: the floor (no agent, two empty fork handlers registered through
     * JNA) and the agent with {@code stacks=after}.
     */
    void floorAndStacksAfter(Results results, int jdk, Path javaHome) throws Exception {
        for (int threads : config.forkThreads()) {
            ChildJvm.Result empty = config.jvm(javaHome, ForkPauseTarget.class)
                    .args(threads, 0, config.forkWarmUps(), config.forkMeasured(), config.forkSettleMillis(),
                            ForkPauseTarget.EMPTY_HANDLERS)
                    .timeoutSeconds(180).run();
            Path reports = Files.createTempDirectory("forkguard-bench-reports-");
            ChildJvm.Result after;
            Stats late;
            try {
                after = config.jvm(javaHome, ForkPauseTarget.class)
                        .args(threads, 0, config.forkWarmUps(), config.forkMeasured(), config.forkSettleMillis())
                        .agent(config.agentJar, STACKS_AFTER_OPTIONS + reports.toAbsolutePath())
                        .timeoutSeconds(180).run();
                late = reportedMillis(reports, STACKS_LATE_MICROS);
            } finally {
                deleteTree(reports);
            }
            Results.FloorRow row = new Results.FloorRow(jdk, threads, Stats.ofNanosAsMillis(empty.longs("forkNanos")),
                    Stats.ofNanosAsMillis(after.longs("forkNanos")), late);
            results.floor.add(row);
            Progress.say("fork pause JDK %d, %d threads, 0 locks: two empty JNA fork handlers %.3f ms, agent with"
                    + " stacks=after %.3f ms", jdk, threads, row.emptyHandlers().median(), row.stacksAfter().median());
        }
    }

    /** A time the agent's JSON reports give for the measured forks (after the warm-up ones); null if none. */
    private Stats reportedMillis(Path reports, Pattern field) throws IOException {
        List<Long> nanos = new ArrayList<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String json = Files.readString(f, StandardCharsets.UTF_8);
                Matcher seq = SEQUENCE.matcher(json);
                Matcher micros = field.matcher(json);
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
