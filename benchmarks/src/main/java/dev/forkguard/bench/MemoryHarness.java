package dev.forkguard.bench;

import dev.forkguard.bench.subject.MemoryTarget;
import java.nio.file.Path;

/**
 * Heap kept per tracked lock (made at two stack depths) and per tracked thread, heap kept after a
 * burst of locks made from a deep stack with default options, and heap after GC following a churn
 * of short-lived locks; each without the agent, with it and, when given, with the baseline agent.
 */
final class MemoryHarness {

    /** Every lock tracked, to count bytes per tracked lock and stress the registry's clean-up. */
    static final String TRACK_ALL = "trackRate=0";

    private final RunConfig config;

    MemoryHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results) throws Exception {
        for (int depth : config.memoryDepths()) {
            scenario(results, "locks", config.memoryLocks(), TRACK_ALL, depth, config.memorySettleMillis());
        }
        scenario(results, "threads", config.memoryThreads(), TRACK_ALL, 1, config.memorySettleMillis());
        scenario(results, "burst", config.burstLocks(), "", config.burstDepth(), config.burstSettleMillis());
        scenario(results, "churn", config.churnLocks(), "", 1, config.memorySettleMillis());
        scenario(results, "churn", config.trackedChurnLocks(), TRACK_ALL, 1, config.memorySettleMillis());
    }

    private void scenario(Results results, String mode, int count, String agentOptions, int depth, int settleMillis)
            throws Exception {
        Results.MemorySide none = side(null, mode, count, "", depth, settleMillis);
        Results.MemorySide agent = side(config.agentJar, mode, count, agentOptions, depth, settleMillis);
        Results.MemorySide baseline = config.baselineJar == null ? null
                : side(config.baselineJar, mode, count, agentOptions, depth, settleMillis);
        Results.MemoryRow row = new Results.MemoryRow(mode, agentOptions.isEmpty() ? "(defaults)" : agentOptions, count,
                depth, settleMillis, none, agent, baseline);
        results.memory.add(row);
        Progress.say("memory %s x%d depth %d (%s): heap +%d B none, +%d B agent%s", mode, count, depth,
                row.agentOptions(), none.heapDelta(), agent.heapDelta(),
                baseline == null ? "" : ", +" + baseline.heapDelta() + " B baseline");
    }

    private Results.MemorySide side(Path agentJar, String mode, int count, String agentOptions, int depth,
            int settleMillis) throws Exception {
        // The mode "burst" is live locks made from a deep stack; the target knows it as "locks".
        ChildJvm jvm = config.jvm(config.jdk17, MemoryTarget.class).args(mode.equals("burst") ? "locks" : mode, count,
                config.memoryIdleMillis(), config.churnSeconds(), depth, settleMillis).timeoutSeconds(300);
        if (agentJar != null) {
            jvm.agent(agentJar, agentOptions);
            if (agentJar.equals(config.baselineJar)) {
                jvm.separateCache();
            }
        }
        ChildJvm.Result r = jvm.run();
        return new Results.MemorySide(r.one("heapBefore"), r.one("heapAfter"), r.one("rssAfter") - r.one("rssBefore"),
                r.one("elapsedNanos") / 1e9, r.one("created"));
    }
}
