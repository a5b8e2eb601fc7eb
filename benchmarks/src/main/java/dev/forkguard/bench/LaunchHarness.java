package dev.forkguard.bench;

import dev.forkguard.bench.subject.ForkLaunchTarget;
import java.nio.file.Path;

/**
 * JDK launches in FORK mode ({@code ProcessBuilder}, fork then exec of {@code /bin/true}): the time of
 * N launches in one JVM, four JVMs a round, one after the other, their order rotated from round to
 * round: without the agent; with it (its C fork handlers, the default); with {@code forkHandlers=java}
 * (the JNA-only fallback); and, as a control, without the agent but with as much more anonymous memory
 * as the agent adds (a pre-touched heap), which is what a fork copies and an exec tears down.
 */
final class LaunchHarness {

    static final String PROGRAM = "/bin/true";
    static final String JAVA_HANDLERS = "forkHandlers=java";

    private static final int NONE = 0;
    private static final int AGENT = 1;
    private static final int JAVA = 2;
    private static final int CONTROL = 3;

    private final RunConfig config;

    LaunchHarness(RunConfig config) {
        this.config = config;
    }

    void run(Results results, int jdk, Path javaHome) throws Exception {
        // Unmeasured: warms the file and user caches, and tells how much anonymous memory the agent adds.
        long noneAnon0 = launches(javaHome, NONE, 0).one("rssAnonBytes");
        long agentAnon0 = launches(javaHome, AGENT, 0).one("rssAnonBytes");
        int controlHeapMib = (int) Math.max(8, (agentAnon0 - noneAnon0) / (1024 * 1024));

        int rounds = config.launchRounds();
        long[][] totals = new long[4][rounds];
        long[][] anon = new long[4][rounds];
        String javaVersion = "";
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 4; k++) {
                int which = (round + k) % 4;
                ChildJvm.Result r = launches(javaHome, which, controlHeapMib);
                if (!"FORK".equals(r.text("mechanism"))) {
                    throw new IllegalStateException("the target did not launch in FORK mode: " + r.text("mechanism"));
                }
                javaVersion = r.text("javaVersion");
                long total = 0;
                for (long n : r.longs("launchNanos")) {
                    total += n;
                }
                totals[which][round] = total;
                anon[which][round] = r.one("rssAnonBytes");
            }
        }
        Results.LaunchRow row = new Results.LaunchRow(jdk, javaVersion, config.launches(),
                Stats.ofNanosAsMillis(totals[NONE]), Stats.ofNanosAsMillis(totals[AGENT]),
                Stats.ofNanosAsMillis(totals[JAVA]), Stats.ofNanosAsMillis(totals[CONTROL]), controlHeapMib,
                Stats.ofNanosAsMillis(anon[NONE]), Stats.ofNanosAsMillis(anon[AGENT]),
                Stats.ofNanosAsMillis(anon[CONTROL]));
        results.launches.add(row);
        Progress.say("FORK-mode launches JDK %d: none %.0f ms, agent %.0f ms (%.2fx), forkHandlers=java %.0f ms (%.2fx),"
                + " no agent with a %d MiB pre-touched heap %.0f ms (%.2fx)", jdk, row.noneMs().median(),
                row.agentMs().median(), row.ratio(), row.javaHandlersMs().median(), row.javaHandlersRatio(),
                controlHeapMib, row.controlMs().median(), row.controlRatio());
    }

    private ChildJvm.Result launches(Path javaHome, int which, int controlHeapMib) throws Exception {
        ChildJvm jvm = config.jvm(javaHome, ForkLaunchTarget.class)
                .jvmArgs("-Djdk.lang.Process.launchMechanism=FORK")
                .args(config.launchWarmUps(), config.launches(), PROGRAM)
                .timeoutSeconds(300);
        switch (which) {
            case AGENT -> jvm.agent(config.agentJar, "");
            case JAVA -> jvm.agent(config.agentJar, JAVA_HANDLERS);
            case CONTROL -> jvm.jvmArgs("-Xms" + controlHeapMib + "m", "-XX:+AlwaysPreTouch");
            default -> {
            }
        }
        return jvm.run();
    }
}
