package dev.forkguard.bench;

import dev.forkguard.bench.jmh.ContendedLockBenchmark;
import dev.forkguard.bench.jmh.LockBenchmarks;
import dev.forkguard.bench.jmh.ThreadBenchmarks;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs each JMH case twice in a row, in forks on JDK 17 without and with {@code -javaagent}, so each
 * ratio compares two measurements taken minutes apart on the same machine; the cases of the tracked
 * path run a third time with the baseline agent, when one is given.
 */
final class JmhSuite {

    /** Every lock tracked: with the default {@code trackRate} most locks a benchmark makes are not. */
    static final String TRACK_ALL = "trackRate=0";

    static final String NEW_LOCK = "new ReentrantLock(), default options";
    static final String NEW_LOCK_TRACKED = "new ReentrantLock(), trackRate=0 (every lock tracked)";
    /** Threads are tracked under any trackRate (it caps locks only); this case shows it. */
    static final String THREAD_START_TRACK_ALL = "new Thread().start() + join, trackRate=0";

    /**
     * A benchmark method, what the document calls it, the agent options it runs with, and whether the
     * baseline agent runs it too.
     */
    record Case(String label, Class<?> type, String method, String agentOptions, boolean withBaseline) {
        Case(String label, Class<?> type, String method) {
            this(label, type, method, "", false);
        }

        String regex() {
            return "^" + type.getName().replace(".", "\\.") + "\\." + method + "$";
        }
    }

    static final List<Case> CASES = List.of(
            new Case("ReentrantLock lock/unlock, uncontended", LockBenchmarks.class, "reentrantLockLockUnlock"),
            new Case("synchronized enter/exit", LockBenchmarks.class, "synchronizedEnterExit"),
            new Case(NEW_LOCK, LockBenchmarks.class, "newReentrantLock", "", true),
            new Case(NEW_LOCK_TRACKED, LockBenchmarks.class, "newReentrantLock", TRACK_ALL, true),
            new Case("ReentrantReadWriteLock read lock/unlock", LockBenchmarks.class, "readWriteLockReadLock"),
            new Case("new Thread().start() + join", ThreadBenchmarks.class, "newThreadStartJoin"),
            new Case(THREAD_START_TRACK_ALL, ThreadBenchmarks.class, "newThreadStartJoin", TRACK_ALL, true),
            new Case("ExecutorService.submit(trivial).get()", ThreadBenchmarks.class, "executorSubmit"),
            new Case("ReentrantLock lock/unlock, 4 threads contended", ContendedLockBenchmark.class,
                    "contendedLockUnlock"));

    private final RunConfig config;

    JmhSuite(RunConfig config) {
        this.config = config;
    }

    void run(Results results) throws RunnerException {
        for (Case c : CASES) {
            Result none = measure(c, null);
            Result agent = measure(c, config.agentJar);
            Result baseline = c.withBaseline() && config.baselineJar != null ? measure(c, config.baselineJar) : null;
            results.jmh.add(new Results.JmhRow(c.label(), c.agentOptions(), none.getScoreUnit(), none.getScore(),
                    none.getScoreError(), agent.getScore(), agent.getScoreError(),
                    baseline == null ? Double.NaN : baseline.getScore(),
                    baseline == null ? Double.NaN : baseline.getScoreError()));
            Progress.say("jmh %s: none %.2f, agent %.2f%s %s", c.label(), none.getScore(), agent.getScore(),
                    baseline == null ? "" : String.format(java.util.Locale.ROOT, ", baseline %.2f", baseline.getScore()),
                    none.getScoreUnit());
        }
    }

    /** @param agentJar the agent to run with, or null for none */
    private Result measure(Case c, java.nio.file.Path agentJar) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(c.regex())
                .jvm(config.jdk17.resolve("bin/java").toString())
                .forks(config.jmhForks())
                .warmupIterations(config.jmhWarmUps())
                .warmupTime(TimeValue.milliseconds(config.jmhIterationMillis()))
                .measurementIterations(config.jmhIterations())
                .measurementTime(TimeValue.milliseconds(config.jmhIterationMillis()))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (agentJar != null) {
            options.jvmArgsAppend("-javaagent:" + agentJar.toAbsolutePath()
                    + (c.agentOptions().isEmpty() ? "" : "=" + c.agentOptions()));
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        if (runs.size() != 1) {
            throw new IllegalStateException(c.regex() + " matched " + runs.size() + " benchmarks");
        }
        return runs.iterator().next().getPrimaryResult();
    }
}
