package dev.forkguard.agent.startup;

import dev.forkguard.launcher.UserCache;
import dev.forkguard.agent.child.AdvicePathWarmUp;
import dev.forkguard.agent.child.CloneGate;
import dev.forkguard.agent.child.ChildPolicy;
import dev.forkguard.agent.child.OrphanedLockCheck;
import dev.forkguard.agent.fork.ForkHandler;
import dev.forkguard.agent.child.ForkState;
import dev.forkguard.agent.fork.NativeJdkLaunchDepth;
import dev.forkguard.agent.instrument.Instrumentations;
import dev.forkguard.agent.logging.AgentLogging;
import dev.forkguard.agent.options.ForkguardOptions;
import dev.forkguard.agent.options.Option;
import dev.forkguard.agent.registry.CreationSites;
import dev.forkguard.agent.registry.LockRegistry;
import dev.forkguard.agent.registry.SynchronizerOwners;
import dev.forkguard.agent.registry.ThreadRegistry;
import dev.forkguard.agent.registry.TrackedCapacity;
import dev.forkguard.agent.registry.TrackingBudget;
import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.JsonReporter;
import dev.forkguard.agent.report.LogReporter;
import dev.forkguard.agent.report.ReportBuilder;
import dev.forkguard.agent.report.ReportDirectory;
import dev.forkguard.agent.publish.ReportPipeline;
import dev.forkguard.agent.publish.ReportPublisher;
import dev.forkguard.agent.watchdog.ChildWatchdog;
import dev.forkguard.agent.report.Reporter;
import dev.forkguard.agent.snapshot.SnapshotRecorder;
import dev.forkguard.agent.snapshot.VirtualThreadDump;
import dev.forkguard.agent.registry.VirtualThreads;
import dev.forkguard.bridge.ForkguardBridge;
import dev.forkguard.probe.AtforkLibrary;
import dev.forkguard.probe.AtforkRegistrar;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.proc.ProcessStat;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

/**
 * Starts the agent inside its isolated class loader: options, logging, the native probe, the
 * instrumentation, the reporter and, last, the fork handlers. Whatever fails is said in one line
 * and the application runs on, unmonitored if it must.
 */
public final class AgentInstaller {

    /** Distinct creation sites kept, 8 frames each (their memory: docs/DESIGN.md, Tracking memory). */
    private static final int MAX_SITES = 8_192;
    /** Distinct thread origins interned before the interning starts afresh. */
    private static final int MAX_ORIGINS = 8_192;
    /** Test-only: {@code registry} makes the lock registry throw (see AgentStartIT). */
    private static final String FAULT_INJECTION = "forkguardTest.faultInjection";


    private AgentInstaller() {}

    /**
     * Called once, reflectively, by {@code ForkguardAgent}.
     *
     * @param probeStart JNA's start and the probe's binding, under way on another thread; yields why the
     *        probe is unavailable, or null
     * @param nativeAccessProblem why native access could not be granted to the agent's JNA, or null;
     *        known once {@code probeStart} is done
     * @param agentFingerprint identifies the agent jar's content when the user cache may be used, else null
     */
    public static void install(String agentArgs, Instrumentation inst, boolean attached, String version,
            Future<String> probeStart, Supplier<String> nativeAccessProblem, String agentFingerprint) {
        final ForkguardOptions options = ForkguardOptions.resolve(agentArgs, System.getProperties(), System.getenv());
        // Logback starts after premain (about 60 ms before main otherwise): until then what is logged is
        // kept, in order, and logged once it is up (see startLogging).
        final Queue<SubstituteLoggingEvent> early = new ConcurrentLinkedQueue<>();
        final SubstituteLogger log = new SubstituteLogger("forkguard." + AgentInstaller.class.getSimpleName(), early,
                false);
        for (String problem : options.problems()) {
            log.warn(problem);
        }
        // Until the probe is bound (JNA's start, on the helper thread), this thread does all that needs no
        // JNA: the registries, the reporters' objects, the module grants and the woven classes
        // (docs/DESIGN.md, Start-up). Nothing here touches a com.sun.jna class, which would wait for it.
        Path reportDir = options.get(ForkguardOptions.REPORT_DIR);
        if (reportDir != null) {
            String why = ReportDirectory.prepare(reportDir);
            if (why != null) {
                log.warn("forkguard: option reportDir='{}' {}; JSON reports are off", reportDir, why);
                reportDir = null;
            }
        }
        int depth = options.get(ForkguardOptions.STACK_DEPTH);
        // One capacity for locks, threads and executors: the bound on the agent's heap (docs/DESIGN.md).
        TrackedCapacity capacity = new TrackedCapacity(options.get(ForkguardOptions.MAX_TRACKED));
        // Creation sites keep few frames: they say where, the fork-time stacks say what.
        CreationSites sites = new CreationSites(Math.min(depth, 8), MAX_SITES);
        int trackRate = options.get(ForkguardOptions.TRACK_RATE);
        final LockRegistry locks = new LockRegistry(capacity, sites,
                trackRate == 0 ? TrackingBudget.UNLIMITED : new TrackingBudget(trackRate));
        if ("registry".equals(System.getProperty(FAULT_INJECTION))) {
            locks.injectFault();
        }
        final ThreadRegistry threads = new ThreadRegistry(capacity, sites, MAX_ORIGINS);
        // Attached to a running JVM, the registries know none of the locks that already exist: find held
        // ones with the JVM's heap walk, unless the user chose otherwise.
        boolean heapWalk = "heap".equals(options.get(ForkguardOptions.HELD_LOCKS))
                || (attached && !options.given(ForkguardOptions.HELD_LOCKS));
        // Lock owners are read directly by the snapshot and, always, by the child-side check.
        String ownersProblem = openLocksPackage(inst);
        if (ownersProblem != null) {
            log.warn("forkguard: cannot read lock owners directly ({}); using heldLocks=heap, and a forked "
                    + "child cannot tell an orphaned lock", ownersProblem);
            heapWalk = true;
        }
        String virtualProblem = VirtualThreads.init(inst);
        if (virtualProblem != null) {
            log.debug("forkguard: virtual threads: {}", virtualProblem);
        }
        // The snapshot's thread dumps need it; the platform's management beans are slow to build.
        java.lang.management.ManagementFactory.getThreadMXBean();
        // Installs nothing yet: the transformer goes in only once the helper thread is done.
        Instrumentations.Prepared woven = Instrumentations.prepare(inst,
                agentFingerprint == null ? null : UserCache.open(), agentFingerprint);

        String unavailable = ProbeStart.await(probeStart);
        if (unavailable != null) {
            log.warn("forkguard {}: {}; fork handlers are not registered and the application continues unmonitored",
                    version, unavailable);
            startLogging(options, log, early);
            return;
        }
        int pid = Libc.getpid();
        ForkState.init(pid);

        List<Reporter> reporters = new ArrayList<>();
        final LogReporter logReporter = new LogReporter(log, options.get(ForkguardOptions.LOG_RATE));
        reporters.add(logReporter);
        if (reportDir != null) {
            reporters.add(new JsonReporter(reportDir, runId(pid), options.get(ForkguardOptions.MAX_REPORTS), log));
        }
        final Supplier<ForkReport.Tracking> tracking = new Supplier<ForkReport.Tracking>() {
            @Override
            public ForkReport.Tracking get() {
                return new ForkReport.Tracking(locks.size(), threads.trackedThreads(), locks.notTracked(),
                        threads.notTracked());
            }
        };
        Runnable housekeeping = new Runnable() {
            @Override
            public void run() {
                // Entries of collected locks and threads leave the tables (and give back their capacity).
                locks.expungeStale();
                threads.expungeStale();
                logReporter.tick();
                if (VirtualThreads.startSeen()) {
                    VirtualThreadDump.warmUpOnce();
                }
            }
        };
        ReportPublisher publisher = new ReportPublisher(reporters, log);
        int watchSeconds = options.get(ForkguardOptions.WATCHDOG);
        final ChildWatchdog watchdog = watchSeconds == 0 ? null : new ChildWatchdog(watchSeconds, pid, publisher);
        if (watchdog != null) {
            watchdog.onHung("kill".equals(options.get(ForkguardOptions.ON_HUNG)),
                    options.get(ForkguardOptions.HUNG_GRACE));
        } else if ("kill".equals(options.get(ForkguardOptions.ON_HUNG))) {
            log.warn("forkguard: onHung=kill needs the watchdog, which watchdog=0 turns off; no child will be ended");
        }
        ReportBuilder reportBuilder = new ReportBuilder(version);
        final ReportPipeline pipeline = new ReportPipeline(reportBuilder, publisher, watchdog, tracking, housekeeping,
                log);
        AgentThreads agentThreads = new AgentThreads(AgentInstaller.class.getClassLoader(),
                com.sun.jna.Native.class.getClassLoader());
        agentThreads.add(pipeline.thread());
        if (watchdog != null) {
            agentThreads.add(watchdog.thread());
        }
        final SnapshotRecorder recorder = new SnapshotRecorder(threads, locks, depth, heapWalk,
                "fork".equals(options.get(ForkguardOptions.STACKS)), agentThreads.ids(), attached);
        ForkHandler forkHandler = new ForkHandler(pid, recorder, pipeline, pipeline.faults());
        // Before the launch advice goes in: the C handlers must see every ProcessImpl.start it counts.
        boolean nativeHandlers = useNativeHandlers(options, log);
        if (nativeHandlers) {
            ForkguardBridge.keepJdkLaunchDepthIn(new NativeJdkLaunchDepth());
        }

        // After the helper thread is done: the transformer never runs inside its class loading.
        Instrumentations.Result instrumented = Instrumentations.apply(inst, woven);
        for (String error : instrumented.errors) {
            log.warn("forkguard: could not instrument {}", error);
        }
        log.debug("forkguard: instrumented {}", instrumented.transformed);
        ForkguardBridge.install(new AgentHooks(threads, locks, agentThreads,
                trackRate == 0 ? TrackingBudget.UNLIMITED : new TrackingBudget(trackRate)));
        agentThreads.scanLive();

        OrphanedLockCheck.configure(ChildPolicy.of(options.get(ForkguardOptions.CHILD_POLICY)),
                options.get(ForkguardOptions.CHILD_EXIT_CODE));
        OrphanedLockCheck.warmUp();
        warmUpAdvice(log);
        String via = null;
        if (nativeHandlers) {
            via = registerNativeHandlers(forkHandler, log);
            if (via == null) {
                // Back to the Java count of launches; a thread inside one now leaves it harmlessly.
                ForkguardBridge.keepJdkLaunchDepthIn(null);
                nativeHandlers = false;
            }
        }
        if (via == null) {
            via = registerHandlers(forkHandler, log);
        }
        if (via == null) {
            startLogging(options, log, early);
            return;
        }
        AgentInstaller.recorder = recorder;
        AgentInstaller.watchdog = watchdog;
        AgentInstaller.onHung = options.get(ForkguardOptions.ON_HUNG);
        AgentInstaller.hungGrace = options.get(ForkguardOptions.HUNG_GRACE);
        AgentInstaller.builder = reportBuilder;
        AgentInstaller.tracking = tracking;
        final String handlersVia = via;
        final boolean cHandlers = nativeHandlers;
        final Path reportsTo = reportDir;
        // The handlers are in, so every fork from now on is recorded; what only turns its snapshot into a
        // report (the virtual-thread dump, the reporter and its warm-up, the watchdog) and the start line
        // start on a low-priority thread while main runs. A fork before then is queued, reported once the
        // reporter is up (docs/DESIGN.md, Start-up).
        final Thread deferred = new Thread(new Runnable() {
            @Override
            public void run() {
                // Each step is agent work, kept out of clones (CloneGate): class loading and cold code
                // beside a clone can leave the child blocked in the JVM's own locks.
                CloneGate.run(() -> startLogging(options, log, early));
                CloneGate.run(VirtualThreadDump::init);
                if (watchdog != null) {
                    CloneGate.run(watchdog::start);
                }
                CloneGate.run(() -> pipeline.start(recorder));
                CloneGate.run(() -> {
                    log.info(startLine(version, pid, attached, handlersVia, cHandlers, options, reportsTo, watchdog));
                    String nativeAccessDenied = nativeAccessProblem.get();
                    if (nativeAccessDenied != null) {
                        log.warn("forkguard: could not grant native access to its own JNA ({}), so this JDK warns "
                                + "about a restricted method; --enable-native-access=ALL-UNNAMED silences it",
                                nativeAccessDenied);
                    }
                });
            }
        }, "forkguard-init");
        deferred.setDaemon(true);
        deferred.setPriority(Thread.MIN_PRIORITY);
        agentThreads.add(deferred);
        AgentInstaller.deferredStart = deferred;
        Thread flush = new Thread(new ShutdownFlush(deferred, pipeline, logReporter), "forkguard-shutdown");
        // A daemon, though the JVM waits for every hook all the same: a JPype host's own hook interrupts
        // each live non-daemon thread at exit, and an interrupt fails file reads and writes (see
        // docs/DESIGN.md, The fork window).
        flush.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(flush);
        deferred.start();
    }

    /**
     * Builds the agent's Logback and hands it what was logged before, in order. A logger obtained before
     * (the reporter's, the watchdog's) is {@code log} itself, which from now on logs straight through.
     */
    private static void startLogging(ForkguardOptions options, SubstituteLogger log,
            Queue<SubstituteLoggingEvent> early) {
        AgentLogging.configure(options.get(ForkguardOptions.LOG), options.get(ForkguardOptions.LOG_LEVEL));
        Logger real = AgentLogging.logger(AgentInstaller.class);
        if (AgentLogging.problem() != null) {
            real.warn(AgentLogging.problem());
        }
        log.setDelegate(real);
        SubstituteLoggingEvent e;
        while ((e = early.poll()) != null) {
            // Replayed events skip Logback's level check: kept were all, logged are those of the level set.
            if (real.isEnabledForLevel(e.getLevel())) {
                log.log(e);
            }
        }
    }

    private static String startLine(String version, int pid, boolean attached, String via, boolean nativeHandlers,
            ForkguardOptions options, Path reportDir, ChildWatchdog watchdog) {
        return "forkguard " + version + " active in pid " + pid + " (Java " + Runtime.version()
                + (attached ? ", attached" : "") + "): fork handlers registered via " + via + " ("
                + (nativeHandlers ? "C" : "Java") + " handlers); reports to "
                + (options.get(ForkguardOptions.LOG) == null || AgentLogging.problem() != null ? "standard error"
                        : options.get(ForkguardOptions.LOG))
                + (reportDir == null ? "" : " and " + reportDir)
                + (watchdog != null && "kill".equals(onHung) ? "; onHung=kill: a child HUNG for " + hungGrace
                        + " s is ended with SIGKILL" : "");
    }

    /**
     * What tells this JVM's reports from those of an earlier run or another container with the same pid:
     * its start time in clock ticks since boot; the wall clock at agent start if /proc cannot say.
     */
    private static String runId(int pid) {
        try {
            java.util.Optional<ProcessStat> self = ProcessStat.read(pid);
            if (self.isPresent()) {
                return Long.toString(self.get().startTime());
            }
        } catch (RuntimeException e) {
            // fall through
        }
        return "t" + System.currentTimeMillis();
    }

    private static void warmUpAdvice(Logger log) {
        try {
            AdvicePathWarmUp.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("forkguard: advice warm-up failed: {}", e.toString());
        }
    }

    /**
     * A second {@code -javaagent} or attach: the agent is already active. It applies the options that
     * can change while running (logLevel, childPolicy, childExitCode), says which others need a
     * restart, and answers a {@code statusTo=<file>} query from the CLI.
     */
    public static void reapply(String agentArgs) {
        awaitDeferredStart();
        Logger log = AgentLogging.logger(AgentInstaller.class);
        String args = agentArgs == null ? "" : agentArgs;
        String statusTo = null;
        StringBuilder rest = new StringBuilder();
        for (String pair : args.split(",")) {
            if (pair.startsWith(STATUS_TO)) {
                statusTo = pair.substring(STATUS_TO.length());
            } else if (!pair.isBlank()) {
                rest.append(rest.length() == 0 ? "" : ",").append(pair);
            }
        }
        if (statusTo != null) {
            StatusQuery.answer(statusTo, recorder, builder, tracking, log);
        }
        if (rest.length() == 0) {
            return;
        }
        ForkguardOptions options = ForkguardOptions.resolve(rest.toString(), java.util.Collections.emptyMap(),
                java.util.Collections.<String, String>emptyMap());
        for (String problem : options.problems()) {
            log.warn(problem);
        }
        OrphanedLockCheck.configure(ChildPolicy.of(options.get(ForkguardOptions.CHILD_POLICY)),
                options.get(ForkguardOptions.CHILD_EXIT_CODE));
        AgentLogging.setLevel(options.get(ForkguardOptions.LOG_LEVEL));
        // onHung and hungGrace change only when given: an attach for another option keeps the policy.
        if (options.given(ForkguardOptions.ON_HUNG)) {
            onHung = options.get(ForkguardOptions.ON_HUNG);
        }
        if (options.given(ForkguardOptions.HUNG_GRACE)) {
            hungGrace = options.get(ForkguardOptions.HUNG_GRACE);
        }
        ChildWatchdog w = watchdog;
        if (w != null) {
            w.onHung("kill".equals(onHung), hungGrace);
        }
        StringBuilder needRestart = new StringBuilder();
        for (Option<?> o : ForkguardOptions.ALL) {
            if (options.given(o) && o != ForkguardOptions.LOG_LEVEL && o != ForkguardOptions.CHILD_POLICY
                    && o != ForkguardOptions.CHILD_EXIT_CODE && (w == null
                            || (o != ForkguardOptions.ON_HUNG && o != ForkguardOptions.HUNG_GRACE))) {
                needRestart.append(needRestart.length() == 0 ? "" : ", ").append(o.name());
            }
        }
        log.info("forkguard is already active in this JVM: now logLevel={}, childPolicy={}, childExitCode={}, "
                + "onHung={}, hungGrace={}{}",
                options.get(ForkguardOptions.LOG_LEVEL), options.get(ForkguardOptions.CHILD_POLICY),
                options.get(ForkguardOptions.CHILD_EXIT_CODE), w == null ? "report (no watchdog)" : onHung, hungGrace,
                needRestart.length() == 0 ? "" : "; not applied, they need a restart: " + needRestart);
    }

    /** The logging it changes is built by the start's second half; bounded, as a query must never hang. */
    private static void awaitDeferredStart() {
        Thread t = deferredStart;
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static volatile Thread deferredStart;
    private static final String STATUS_TO = "statusTo=";
    private static volatile SnapshotRecorder recorder;
    private static volatile ChildWatchdog watchdog;
    /** The onHung policy in force, for the reapply line; guarded by the agent's start lock. */
    private static String onHung = "report";
    private static int hungGrace = 5;
    private static volatile ReportBuilder builder;
    private static volatile Supplier<ForkReport.Tracking> tracking;

    /** Opens java.util.concurrent.locks to the agent's module alone, for {@link SynchronizerOwners}. */
    private static String openLocksPackage(Instrumentation inst) {
        try {
            Module javaBase = Object.class.getModule();
            inst.redefineModule(javaBase, Set.<Module>of(), Map.<String, Set<Module>>of(),
                    Map.of("java.util.concurrent.locks", Set.of(SynchronizerOwners.class.getModule())),
                    Set.<Class<?>>of(), Map.<Class<?>, List<Class<?>>>of());
            SynchronizerOwners.init();
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }

    /** The C handlers unless the user chose the Java ones or the library did not load (then said once). */
    private static boolean useNativeHandlers(ForkguardOptions options, Logger log) {
        if (!"native".equals(options.get(ForkguardOptions.FORK_HANDLERS))) {
            return false;
        }
        String problem = AtforkLibraryStart.problem();
        if (problem != null) {
            log.info("forkguard: using its Java fork handlers: {}", problem);
            return false;
        }
        return true;
    }

    private static String registerNativeHandlers(ForkHandler forkHandler, Logger log) {
        try {
            return AtforkLibrary.register(forkHandler.jvmPid(), forkHandler.prepareCallback(),
                    forkHandler.parentCallback());
        } catch (Exception | LinkageError e) {
            log.info("forkguard: using its Java fork handlers: the C handlers could not be registered ({})",
                    e.getMessage());
            return null;
        }
    }

    private static String registerHandlers(ForkHandler forkHandler, Logger log) {
        try {
            return AtforkRegistrar.register(forkHandler.prepareCallback(), forkHandler.parentCallback());
        } catch (Exception | LinkageError e) {
            log.warn("forkguard: fork handlers could not be registered ({}); the application continues unmonitored",
                    e.getMessage());
            return null;
        }
    }

}
