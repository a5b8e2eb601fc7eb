package dev.forkguard.bench.jmh;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Thread creation and executor hand-off, which the agent tracks (thread origins, executors). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ThreadBenchmarks {

    private static final Runnable NOTHING = () -> { };

    private ExecutorService executor;

    @Setup(Level.Trial)
    public void startExecutor() {
        executor = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void stopExecutor() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public Thread newThreadStartJoin() throws InterruptedException {
        Thread t = new Thread(NOTHING);
        t.start();
        t.join();
        return t;
    }

    @Benchmark
    public Object executorSubmit() throws InterruptedException, ExecutionException {
        // get(): one task in flight, so the figure is the hand-off, not an ever-growing queue.
        return executor.submit(NOTHING).get();
    }
}
