package dev.forkguard.bench;

import dev.forkguard.bench.subject.MemoryTarget;

/** Heap kept per tracked lock and thread, and heap after GC following a churn of short-lived locks. */
final class MemoryHarness {

    /** Every lock tracked, to count bytes per tracked lock and stress the registry's clean-up. */
    static final String TRACK_ALL = "trackRate=0";

    private final RunConfig config;

    MemoryHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results) throws Exception {
        scenario(results, "locks", config.memoryLocks(), TRACK_ALL);
        scenario(results, "threads", config.memoryThreads(), TRACK_ALL);
        scenario(results, "churn", config.churnLocks(), "");
        // Every lock tracked: a tenth as many, since each keeps its creation trace until its entry is dropped.
        scenario(results, "churn", config.churnLocks() / 10, TRACK_ALL);
    }

    private void scenario(Results results, String mode, int count, String agentOptions) throws Exception {
        ChildJvm.Result none = config.jvm(config.jdk17, MemoryTarget.class)
                .args(mode, count, config.memoryIdleMillis(), config.churnSeconds()).timeoutSeconds(300).run();
        ChildJvm.Result agent = config.jvm(config.jdk17, MemoryTarget.class).args(mode, count, config.memoryIdleMillis(), config.churnSeconds())
                .agent(config.agentJar, agentOptions).timeoutSeconds(300).run();
        Results.MemoryRow row = new Results.MemoryRow(mode, agentOptions.isEmpty() ? "(defaults)" : agentOptions, count,
                none.one("heapBefore"), none.one("heapAfter"), agent.one("heapBefore"), agent.one("heapAfter"),
                none.one("rssAfter") - none.one("rssBefore"), agent.one("rssAfter") - agent.one("rssBefore"),
                none.one("elapsedNanos") / 1e9, agent.one("elapsedNanos") / 1e9, none.one("created"), agent.one("created"));
        results.memory.add(row);
        Progress.say("memory %s x%d (%s): heap +%d B none, +%d B agent", mode, count, row.agentOptions(),
                row.noneDelta(), row.agentDelta());
    }
}
