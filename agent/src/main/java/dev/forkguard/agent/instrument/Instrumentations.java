package dev.forkguard.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Which JDK classes get which advice: thread start, lock and executor construction, pool workers.
 * All targets are boot classes, most already loaded, so the advice goes in by retransformation and
 * never changes a class's shape (see {@link AdviceTransformer}).
 */
public final class Instrumentations {

    private Instrumentations() {}

    /** What was transformed and what failed, for the start-up log and tests. */
    public static final class Result {
        public final List<String> transformed = new ArrayList<>();
        public final List<String> errors = new ArrayList<>();
    }

    /** The advice for each target class, by binary name. */
    static Map<String, AsmVisitorWrapper> plan() {
        Map<String, AsmVisitorWrapper> plan = new LinkedHashMap<>();
        plan.put("java.lang.Thread", Advice.to(ThreadStartAdvice.class).on(named("start").and(takesNoArguments())));
        AsmVisitorWrapper syncLock = Advice.to(SyncLockCreationAdvice.class).on(isConstructor());
        // Acquisitions: lock() and lockInterruptibly() block; tryLock(long, TimeUnit) waits and keeps
        // its time-out; tryLock() never blocks and is left alone.
        AsmVisitorWrapper acquire = new AsmVisitorWrapper.Compound(
                Advice.to(LockAcquireAdvice.class).on(named("lock").or(named("lockInterruptibly"))
                        .and(takesNoArguments())),
                Advice.to(TimedLockAcquireAdvice.class).on(named("tryLock").and(takesArguments(2))));
        plan.put("java.util.concurrent.locks.ReentrantLock",
                new AsmVisitorWrapper.Compound(syncLock, acquire));
        plan.put("java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock", acquire);
        plan.put("java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock", acquire);
        plan.put("java.util.concurrent.Semaphore", new AsmVisitorWrapper.Compound(syncLock,
                Advice.to(LockAcquireAdvice.class).on(named("acquire").or(named("acquireUninterruptibly"))),
                Advice.to(TimedLockAcquireAdvice.class).on(named("tryAcquire").and(takesArguments(2)
                        .or(takesArguments(3))))));
        // Its no-argument constructor delegates to this one: advise one, record once.
        plan.put("java.util.concurrent.locks.ReentrantReadWriteLock",
                Advice.to(SyncLockCreationAdvice.class).on(isConstructor().and(takesArguments(boolean.class))));
        plan.put("java.util.concurrent.locks.StampedLock", new AsmVisitorWrapper.Compound(
                Advice.to(PlainLockCreationAdvice.class).on(isConstructor()),
                Advice.to(PlainLockAcquireAdvice.class).on(named("writeLock").or(named("readLock"))
                        .or(named("writeLockInterruptibly")).or(named("readLockInterruptibly"))
                        .and(takesNoArguments())),
                Advice.to(PlainTimedLockAcquireAdvice.class).on(named("tryWriteLock").or(named("tryReadLock"))
                        .and(takesArguments(2)))));
        AsmVisitorWrapper executor = Advice.to(ExecutorCreationAdvice.class).on(isConstructor());
        plan.put("java.util.concurrent.ThreadPoolExecutor", executor);
        plan.put("java.util.concurrent.ForkJoinPool", executor);
        plan.put("java.util.concurrent.ThreadPoolExecutor$Worker", Advice.to(PoolWorkerAdvice.class).on(isConstructor()));
        plan.put("java.util.concurrent.ForkJoinWorkerThread",
                Advice.to(ForkJoinWorkerAdvice.class).on(isConstructor()));
        return plan;
    }

    /** Installs the transformer and retransforms the targets already loaded. */
    public static Result install(Instrumentation inst) {
        Result result = new Result();
        AdviceTransformer transformer = new AdviceTransformer(plan(), result);
        inst.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && transformer.targets(c.getName())) {
                loaded.add(c);
            }
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                result.errors.add(c.getName() + ": " + e);
            }
        }
        return result;
    }
}
