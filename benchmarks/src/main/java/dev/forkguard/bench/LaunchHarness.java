package dev.forkguard.bench;

import dev.forkguard.bench.subject.ForkLaunchTarget;
import java.nio.file.Path;

/**
 * JDK launches in FORK mode ({@code ProcessBuilder}, fork then exec of {@code /bin/true}): the time of
 * N launches in one JVM without the agent, with it (its C fork handlers, the default) and with
 * {@code forkHandlers=java} (the JNA-only fallback), the three run one after the other in each round,
 * their order rotated from round to round.
 */
final class LaunchHarness {

    static final String PROGRAM = "/bin/true";
    static final String JAVA_HANDLERS = "forkHandlers=java";

    private final RunConfig config;

    LaunchHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results, int jdk, Path javaHome) throws Exception {
        int rounds = config.launchRounds();
        long[] none = new long[rounds];
        long[] agent = new long[rounds];
        long[] javaHandlers = new long[rounds];
        String javaVersion = "";
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 3; k++) {
                int which = (round + k) % 3;
                ChildJvm.Result r = launches(javaHome, which == 0 ? null : which == 1 ? "" : JAVA_HANDLERS);
                if (!"FORK".equals(r.text("mechanism"))) {
                    throw new IllegalStateException("the target did not launch in FORK mode: " + r.text("mechanism"));
                }
                javaVersion = r.text("javaVersion");
                long total = 0;
                for (long n : r.longs("launchNanos")) {
                    total += n;
                }
                (which == 0 ? none : which == 1 ? agent : javaHandlers)[round] = total;
            }
        }
        Results.LaunchRow row = new Results.LaunchRow(jdk, javaVersion, config.launches(), Stats.ofNanosAsMillis(none),
                Stats.ofNanosAsMillis(agent), Stats.ofNanosAsMillis(javaHandlers));
        results.launches.add(row);
        Progress.say("FORK-mode launches JDK %d: none %.0f ms, agent %.0f ms (%.2fx), forkHandlers=java %.0f ms (%.2fx)",
                jdk, row.noneMs().median(), row.agentMs().median(), row.ratio(), row.javaHandlersMs().median(),
                row.javaHandlersRatio());
    }

    private ChildJvm.Result launches(Path javaHome, String agentOptions) throws Exception {
        ChildJvm jvm = config.jvm(javaHome, ForkLaunchTarget.class)
                .jvmArgs("-Djdk.lang.Process.launchMechanism=FORK")
                .args(config.launchWarmUps(), config.launches(), PROGRAM)
                .timeoutSeconds(300);
        if (agentOptions != null) {
            jvm.agent(config.agentJar, agentOptions);
        }
        return jvm.run();
    }
}
