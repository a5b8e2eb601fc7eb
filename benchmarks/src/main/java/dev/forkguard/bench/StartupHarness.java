package dev.forkguard.bench;

import dev.forkguard.bench.subject.StartupTarget;
import java.nio.file.Path;

/**
 * JVM start-up to {@code main}, without and with the agent (and the baseline agent, when given),
 * alternating, after one unmeasured start of each.
 */
final class StartupHarness {

    private final RunConfig config;

    StartupHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results, int jdk, Path javaHome) throws Exception {
        int n = config.startups();
        long[] none = new long[n];
        long[] agent = new long[n];
        long[] noneRss = new long[n];
        long[] agentRss = new long[n];
        Path baselineJar = config.baselineJar;
        long[] baseline = new long[n];
        long[] baselineRss = new long[n];
        for (int i = 0; i < config.startupWarmUps(); i++) {
            start(javaHome, null);
            start(javaHome, config.agentJar);
            if (baselineJar != null) {
                start(javaHome, baselineJar);
            }
        }
        for (int i = 0; i < n; i++) {
            ChildJvm.Result r = start(javaHome, null);
            none[i] = r.one("mainNanos") - r.startNanos;
            noneRss[i] = r.one("rssBytes");
            r = start(javaHome, config.agentJar);
            agent[i] = r.one("mainNanos") - r.startNanos;
            agentRss[i] = r.one("rssBytes");
            if (baselineJar != null) {
                r = start(javaHome, baselineJar);
                baseline[i] = r.one("mainNanos") - r.startNanos;
                baselineRss[i] = r.one("rssBytes");
            }
        }
        Results.StartupRow row = new Results.StartupRow(jdk, Stats.ofNanosAsMillis(none), Stats.ofNanosAsMillis(agent),
                Stats.ofNanosAsMillis(noneRss), Stats.ofNanosAsMillis(agentRss),
                baselineJar == null ? null : Stats.ofNanosAsMillis(baseline),
                baselineJar == null ? null : Stats.ofNanosAsMillis(baselineRss));
        results.startup.add(row);
        Progress.say("start-up JDK %d: none %.0f ms, agent %.0f ms", jdk, row.noneMs().median(), row.agentMs().median());
    }

    /** @param agentJar the agent to start with, or null for none */
    private ChildJvm.Result start(Path javaHome, Path agentJar) throws Exception {
        ChildJvm jvm = config.jvm(javaHome, StartupTarget.class).timeoutSeconds(60);
        if (agentJar != null) {
            jvm.agent(agentJar, "");
            if (agentJar.equals(config.baselineJar)) {
                jvm.separateCache();
            }
        }
        return jvm.run();
    }
}
