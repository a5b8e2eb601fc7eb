package dev.forkguard.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.forkguard.launcher.UserCache;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** The classes {@link #plan()} advises, by binary name: known without loading Byte Buddy. */
    static final List<String> TARGETS = List.of(
            "java.lang.Thread",
            "java.lang.VirtualThread",
            "java.util.concurrent.locks.ReentrantLock",
            "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock",
            "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock",
            "java.util.concurrent.Semaphore",
            "java.util.concurrent.locks.ReentrantReadWriteLock",
            "java.util.concurrent.locks.StampedLock",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.ThreadPoolExecutor$Worker",
            "java.util.concurrent.ForkJoinWorkerThread",
            "java.lang.ProcessImpl");

    /** The advice for each target class, by binary name. */
    static Map<String, AsmVisitorWrapper> plan() {
        Map<String, AsmVisitorWrapper> plan = new LinkedHashMap<>();
        plan.put("java.lang.Thread", Advice.to(ThreadStartAdvice.class).on(named("start").and(takesNoArguments())));
        // JDK 21+: every virtual thread starts through start(ThreadContainer), not Thread.start().
        plan.put("java.lang.VirtualThread", Advice.to(ThreadStartAdvice.class).on(named("start")
                .and(takesArguments(1))));
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
        // The JDK's own fork-then-exec (launchMechanism=FORK) forks inside this method: no report.
        plan.put("java.lang.ProcessImpl", Advice.to(JdkLaunchAdvice.class).on(named("start").and(isStatic())));
        return plan;
    }

    /** The transformer with the woven classes readied by {@link #prepare}, not installed yet. */
    public static final class Prepared {
        final AdviceTransformer transformer;
        final Result result;

        Prepared(AdviceTransformer transformer, Result result) {
            this.transformer = transformer;
            this.result = result;
        }
    }

    /** {@link #prepare}, then {@link #apply}. */
    public static Result install(Instrumentation inst, UserCache cache, String agentFingerprint) {
        return apply(inst, prepare(inst, cache, agentFingerprint));
    }

    /**
     * Readies the woven class of each target not loaded yet (from the cache, else woven now), held in
     * memory: when the JVM loads one later, in whatever application thread, the transformer does no
     * file access and loads no Byte Buddy inside that class load. Such work there can need the very
     * class being loaded, a {@code ClassCircularityError} (seen on JDK 25 when the advice went in while
     * JNA's layer loaded {@code ReentrantReadWriteLock} on another thread). Installs nothing, so it may
     * run while another thread loads classes; a target loaded meanwhile is retransformed by {@link #apply}.
     *
     * @param cache the user cache, or null to weave every class with Byte Buddy
     * @param agentFingerprint identifies the agent jar's content, for the cache
     */
    public static Prepared prepare(Instrumentation inst, UserCache cache, String agentFingerprint) {
        Result result = new Result();
        TransformCache transformCache = cache == null ? null : new TransformCache(cache, agentFingerprint);
        Set<String> internalNames = new HashSet<>();
        for (String t : TARGETS) {
            internalNames.add(t.replace('.', '/'));
        }
        AdviceTransformer transformer = new AdviceTransformer(internalNames, result, transformCache);
        Set<String> loadedNames = new HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && transformer.targets(c.getName())) {
                loadedNames.add(c.getName());
            }
        }
        for (String name : TARGETS) {
            if (!loadedNames.contains(name)) {
                prepare(transformer, transformCache, name, result);
            }
        }
        return new Prepared(transformer, result);
    }

    /** Installs the transformer and retransforms the targets already loaded. */
    public static Result apply(Instrumentation inst, Prepared prepared) {
        AdviceTransformer transformer = prepared.transformer;
        Result result = prepared.result;
        inst.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && transformer.targets(c.getName())) {
                loaded.add(c);
            }
        }
        try {
            // One redefinition (one safepoint) for all of them; one by one only to tell which failed.
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            return result;
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            // fall through
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

    /** Readies the woven class for a target the JVM has not loaded yet, from the class file it will hand over. */
    private static void prepare(AdviceTransformer transformer, TransformCache cache, String name, Result result) {
        try (InputStream in = Object.class.getModule().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                return;
            }
            byte[] original = in.readAllBytes();
            byte[] woven = cache == null ? null : cache.get(name, original);
            if (woven == null) {
                woven = transformer.weave(name, original);
                if (cache != null) {
                    cache.put(name, original, woven);
                }
            }
            transformer.ready(name, original, woven);
        } catch (IOException | RuntimeException | LinkageError e) {
            synchronized (result) {
                result.errors.add(name + ": " + e);
            }
        }
    }
}
