package dev.forkguard.bench;

import java.nio.file.Path;

/** Where things are and how long to measure: the full run, or the smoke run CI makes (tiny counts). */
final class RunConfig {

    final boolean smoke;
    final Path agentJar;
    /** The jar of this module, with JMH, the probe and JNA: the class path of every target JVM. */
    final Path benchmarksJar;
    final Path jdk17;
    /** Null when absent: the JDK 25 fork-pause run is then skipped, and the document says so. */
    final Path jdk25;
    /**
     * An earlier agent jar (before a change), or null: memory, start-up and the tracked JMH cases then
     * measure it too, side by side with the current one, in the same run.
     */
    final Path baselineJar;
    /** What the document calls the baseline, e.g. its commit. */
    final String baselineName;

    RunConfig(boolean smoke, Path agentJar, Path benchmarksJar, Path jdk17, Path jdk25, Path baselineJar,
            String baselineName) {
        this.smoke = smoke;
        this.agentJar = agentJar;
        this.benchmarksJar = benchmarksJar;
        this.jdk17 = jdk17;
        this.jdk25 = jdk25;
        this.baselineJar = baselineJar;
        this.baselineName = baselineName;
    }

    ChildJvm jvm(Path javaHome, Class<?> main) {
        return new ChildJvm(javaHome, benchmarksJar, main);
    }

    // JMH: forks, warm-up and measured iterations of one second each.
    int jmhForks() {
        return smoke ? 1 : 2;
    }

    int jmhWarmUps() {
        return smoke ? 0 : 3;
    }

    int jmhIterations() {
        return smoke ? 1 : 5;
    }

    int jmhIterationMillis() {
        return smoke ? 50 : 1000;
    }

    int[] forkThreads() {
        return smoke ? new int[] {10} : new int[] {10, 100, 1000};
    }

    int[] forkLocks() {
        return smoke ? new int[] {1000} : new int[] {0, 1000, 100_000};
    }

    int forkWarmUps() {
        return smoke ? 1 : 2;
    }

    int forkMeasured() {
        return smoke ? 3 : 21;
    }

    int forkSettleMillis() {
        return smoke ? 10 : 30;
    }

    /** Fork pause on JDK 25 too: the full run only (CI's JDK 25 pass runs no integration tests). */
    boolean forkOnJdk25() {
        return jdk25 != null && !smoke;
    }

    /** JVMs of each kind (none, agent, agent with Java fork handlers) for the FORK-mode launches. */
    int launchRounds() {
        return smoke ? 1 : 5;
    }

    int launches() {
        return smoke ? 10 : 300;
    }

    int launchWarmUps() {
        return smoke ? 2 : 30;
    }

    /** Unmeasured starts of each kind before the measured ones (file cache, CDS archive). */
    int startupWarmUps() {
        return smoke ? 0 : 1;
    }

    /** How long a memory target idles before its baseline, so the agent's start-up work has finished. */
    int memoryIdleMillis() {
        return smoke ? 200 : 1000;
    }

    int startups() {
        return smoke ? 1 : 10;
    }

    int hangs() {
        return smoke ? 1 : 5;
    }

    /** Live locks, every one tracked, to count bytes per tracked lock. */
    int memoryLocks() {
        return smoke ? 1000 : 200_000;
    }

    /** Stack depths the live locks are made at: the cost per lock must not grow with it. */
    int[] memoryDepths() {
        return new int[] {20, 150};
    }

    /** Locks made at once from a deep stack with default options (a cache warmed by a Spring-sized stack). */
    int burstLocks() {
        return smoke ? 4000 : 400_000;
    }

    int burstDepth() {
        return 150;
    }

    /** Wait after the burst before the last full GCs: the agent's clean-up has run several times. */
    int burstSettleMillis() {
        return smoke ? 500 : 5000;
    }

    /** Wait after the other scenarios before the last full GCs (the clean-up runs once a second). */
    int memorySettleMillis() {
        return smoke ? 500 : 2000;
    }

    /** Enough that what the agent keeps per thread stands out of the heap's noise (a few hundred KB). */
    int memoryThreads() {
        return smoke ? 20 : 10_000;
    }

    /** Longest a churn may run; what was created by then is reported. */
    int churnSeconds() {
        return smoke ? 20 : 60;
    }

    int churnLocks() {
        return smoke ? 100_000 : 10_000_000;
    }

    /** Every short-lived lock tracked. */
    int trackedChurnLocks() {
        return smoke ? 10_000 : 1_000_000;
    }
}
