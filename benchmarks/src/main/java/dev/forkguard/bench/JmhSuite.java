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
 * ratio compares two measurements taken minutes apart on the same machine.
 */
final class JmhSuite {

    /** A benchmark method and what the document calls it. */
    record Case(String label, Class<?> type, String method) {
        String regex() {
            return "^" + type.getName().replace(".", "\\.") + "\\." + method + "$";
        }
    }

    static final List<Case> CASES = List.of(
            new Case("ReentrantLock lock/unlock, uncontended", LockBenchmarks.class, "reentrantLockLockUnlock"),
            new Case("synchronized enter/exit", LockBenchmarks.class, "synchronizedEnterExit"),
            new Case("new ReentrantLock()", LockBenchmarks.class, "newReentrantLock"),
            new Case("ReentrantReadWriteLock read lock/unlock", LockBenchmarks.class, "readWriteLockReadLock"),
            new Case("new Thread().start() + join", ThreadBenchmarks.class, "newThreadStartJoin"),
            new Case("ExecutorService.submit(trivial).get()", ThreadBenchmarks.class, "executorSubmit"),
            new Case("ReentrantLock lock/unlock, 4 threads contended", ContendedLockBenchmark.class,
                    "contendedLockUnlock"));

    private final RunConfig config;

    JmhSuite(RunConfig config) {
        this.config = config;
    }

    void run(Results results) throws RunnerException {
        for (Case c : CASES) {
            Result none = measure(c, false);
            Result agent = measure(c, true);
            results.jmh.add(new Results.JmhRow(c.label(), none.getScoreUnit(), none.getScore(), none.getScoreError(),
                    agent.getScore(), agent.getScoreError()));
            Progress.say("jmh %s: none %.2f, agent %.2f %s", c.label(), none.getScore(), agent.getScore(),
                    none.getScoreUnit());
        }
    }

    private Result measure(Case c, boolean withAgent) throws RunnerException {
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
        if (withAgent) {
            options.jvmArgsAppend("-javaagent:" + config.agentJar.toAbsolutePath());
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        if (runs.size() != 1) {
            throw new IllegalStateException(c.regex() + " matched " + runs.size() + " benchmarks");
        }
        return runs.iterator().next().getPrimaryResult();
    }
}
