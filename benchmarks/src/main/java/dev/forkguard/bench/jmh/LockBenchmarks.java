package dev.forkguard.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The lock operations the agent instruments (creation and acquisition of java.util.concurrent locks)
 * and one it cannot see ({@code synchronized}), uncontended, in one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmarks {

    private final ReentrantLock lock = new ReentrantLock();
    private final Lock readLock = new ReentrantReadWriteLock().readLock();
    private final Object monitor = new Object();
    private int counter;

    @Benchmark
    public int reentrantLockLockUnlock() {
        lock.lock();
        try {
            return ++counter;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    public int synchronizedEnterExit() {
        synchronized (monitor) {
            return ++counter;
        }
    }

    @Benchmark
    public ReentrantLock newReentrantLock() {
        return new ReentrantLock();
    }

    @Benchmark
    public int readWriteLockReadLock() {
        readLock.lock();
        try {
            return ++counter;
        } finally {
            readLock.unlock();
        }
    }
}
