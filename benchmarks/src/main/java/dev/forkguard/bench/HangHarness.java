package dev.forkguard.bench;

import dev.forkguard.bench.subject.HangTarget;
import java.nio.file.Files;
import java.nio.file.Path;

/** Time from a child's hang (the fork; it blocks at once) to the agent's HUNG line for it, with defaults. */
final class HangHarness {

    private final RunConfig config;

    HangHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results) throws Exception {
        Path log = Files.createTempFile("forkguard-bench-hang-", ".log");
        try {
            ChildJvm.Result r = config.jvm(config.jdk17, HangTarget.class)
                    .agent(config.agentJar, "log=" + log.toAbsolutePath())
                    .args(config.hangs(), log.toAbsolutePath(), 20_000)
                    .timeoutSeconds(120)
                    .run();
            results.hangMs = Stats.ofNanosAsMillis(r.longs("hungNanos"));
            Progress.say("hang to HUNG: median %.0f ms", results.hangMs.median());
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
