package dev.forkguard.bench;

import dev.forkguard.bench.target.ForkPauseTarget;
import dev.forkguard.bench.target.SnapshotCostTarget;
import java.nio.file.Path;

/**
 * Fork pause against live threads and tracked locks, each configuration in two fresh JVMs, one
 * without the agent and one with it, run one right after the other.
 */
final class ForkPauseHarness {

    /** Every lock tracked, so the lock column is the number the snapshot reads. */
    static final String AGENT_OPTIONS = "trackRate=0";

    private final RunConfig config;

    ForkPauseHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results, int jdk, Path javaHome) throws Exception {
        for (int threads : config.forkThreads()) {
            for (int locks : config.forkLocks()) {
                ChildJvm.Result none = target(javaHome, threads, locks, false);
                ChildJvm.Result agent = target(javaHome, threads, locks, true);
                Results.ForkRow row = new Results.ForkRow(jdk, none.text("javaVersion"), threads, locks,
                        (int) none.one("osThreads"), (int) agent.one("osThreads"),
                        Stats.ofNanosAsMillis(none.longs("forkNanos")), Stats.ofNanosAsMillis(agent.longs("forkNanos")),
                        none.one("firstForkNanos") / 1e6, agent.one("firstForkNanos") / 1e6,
                        (int) none.one("unquietForks"), (int) agent.one("unquietForks"));
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

    private ChildJvm.Result target(Path javaHome, int threads, int locks, boolean withAgent) throws Exception {
        ChildJvm jvm = config.jvm(javaHome, ForkPauseTarget.class)
                .args(threads, locks, config.forkWarmUps(), config.forkMeasured(), config.forkSettleMillis())
                .timeoutSeconds(180);
        if (withAgent) {
            jvm.agent(config.agentJar, AGENT_OPTIONS);
        }
        return jvm.run();
    }
}
