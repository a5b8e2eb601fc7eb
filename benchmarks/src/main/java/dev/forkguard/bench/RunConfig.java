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

    RunConfig(boolean smoke, Path agentJar, Path benchmarksJar, Path jdk17, Path jdk25) {
        this.smoke = smoke;
        this.agentJar = agentJar;
        this.benchmarksJar = benchmarksJar;
        this.jdk17 = jdk17;
        this.jdk25 = jdk25;
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

    int memoryLocks() {
        return smoke ? 1000 : 100_000;
    }

    int memoryThreads() {
        return smoke ? 20 : 1000;
    }

    /** Longest a churn may run; what was created by then is reported. */
    int churnSeconds() {
        return smoke ? 20 : 60;
    }

    int churnLocks() {
        return smoke ? 100_000 : 10_000_000;
    }
}
