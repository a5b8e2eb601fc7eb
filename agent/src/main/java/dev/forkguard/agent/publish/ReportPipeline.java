package dev.forkguard.agent.publish;

import dev.forkguard.agent.child.CloneGate;
import dev.forkguard.agent.fork.InternalFaults;
import dev.forkguard.agent.report.ReportBuilder;
import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.agent.snapshot.SnapshotRecorder;
import dev.forkguard.probe.proc.ProcTasks;
import dev.forkguard.agent.watchdog.ChildWatchdog;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The background thread that turns snapshots into reports, after the fork, off the forking thread.
 * The parent handler only queues: a lock-free queue and an unpark, nothing that could block it.
 */
public final class ReportPipeline implements Consumer<ForkSnapshot> {

    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;

    private final ConcurrentLinkedQueue<ForkSnapshot> queue = new ConcurrentLinkedQueue<>();
    /** Held while a snapshot becomes a report, so that a shutdown flush never misses one half-done. */
    private final Object processing = new Object();
    private final ReportBuilder builder;
    private final ReportPublisher publisher;
    private final ChildWatchdog watchdog;
    private final Supplier<ForkReport.Tracking> tracking;
    private final Logger log;
    private final Runnable housekeeping;
    private final Thread thread;
    private volatile SnapshotRecorder recorder;
    private final InternalFaults faults = new InternalFaults();

    /**
     * @param watchdog watches each child before its report is published, or null to publish at once
     * @param housekeeping run about once a second when no fork is waiting (dropping entries of collected objects)
     */
    public ReportPipeline(ReportBuilder builder, ReportPublisher publisher, ChildWatchdog watchdog,
            Supplier<ForkReport.Tracking> tracking, Runnable housekeeping, Logger log) {
        this.builder = builder;
        this.publisher = publisher;
        this.watchdog = watchdog;
        this.tracking = tracking;
        this.housekeeping = housekeeping;
        this.log = log;
        this.thread = new Thread(this::run, "forkguard-reporter");
        this.thread.setDaemon(true);
    }

    /** Faults inside the agent that this pipeline's thread says once each. */
    public InternalFaults faults() {
        return faults;
    }

    public Thread thread() {
        return thread;
    }

    /** Starts the thread, which first warms the fork path up with {@code recorder}. */
    public void start(SnapshotRecorder recorder) {
        this.recorder = recorder;
        thread.start();
    }

    /** Called by the parent fork handler: queue and wake, nothing more. */
    @Override
    public void accept(ForkSnapshot snapshot) {
        queue.add(snapshot);
        LockSupport.unpark(thread);
    }

    private void run() {
        warmUp();
        while (true) {
            // An interrupt from the application (some interrupt every thread) is not for this thread:
            // left set, every park would return at once and the loop would spin.
            Thread.interrupted();
            ForkSnapshot s;
            // Taken and reported under one lock: a flush at exit that found the queue empty while this
            // thread held a snapshot not yet reported would let the JVM end without that report.
            synchronized (processing) {
                CloneGate.workStarting();
                try {
                    completeQueued();
                    s = queue.poll();
                    if (s != null) {
                        process(s);
                    }
                } finally {
                    CloneGate.workDone();
                }
            }
            if (s == null) {
                LockSupport.parkNanos(this, HOUSEKEEPING_NANOS);
                if (queue.isEmpty()) {
                    CloneGate.workStarting();
                    try {
                        runHousekeeping();
                    } finally {
                        CloneGate.workDone();
                    }
                }
                faults.logFirst(log);
            }
        }
    }

    /**
     * Takes what every queued snapshot still lacks (with {@code stacks=after}, the stacks: one
     * thread dump for all) before reporting any, so that reports already queued do not make the
     * stacks of the next forks later still.
     */
    private void completeQueued() {
        if (recorder != null && !queue.isEmpty()) {
            try {
                recorder.completeAll(queue);
            } catch (Throwable t) {
                log.warn("forkguard: could not take the threads' stacks after a fork: {}", t.toString());
            }
        }
    }

    private void process(ForkSnapshot s) {
        synchronized (processing) {
            try {
                recorder.complete(s);
                ForkReport report = builder.build(s, ProcTasks.read(s.osThreadIds()), s.childPid(), tracking.get());
                if (watchdog != null && report.childPid() != null) {
                    watchdog.watch(report, s.takenNanos, s.parentNanos());
                } else {
                    publisher.publish(report);
                }
            } catch (Throwable t) {
                log.warn("forkguard: could not report fork #{}: {}", s.sequence, t.toString());
            }
        }
    }

    /**
     * The JVM is exiting: report what is still queued, on the caller's thread, then let the watchdog
     * give its children their verdicts. Waits for a report being built to finish first.
     */
    public void flush() {
        synchronized (processing) {
            ForkSnapshot s;
            while ((s = queue.poll()) != null) {
                process(s);
            }
            if (watchdog != null) {
                watchdog.flush();
            }
        }
        faults.logFirst(log);
    }

    /**
     * Takes, builds and renders one throw-away snapshot before any real fork, so that the first real
     * fork pays no class loading or cold code inside its pause (see docs/DESIGN.md, The fork window).
     */
    private void warmUp() {
        if (recorder == null) {
            return;
        }
        // One step at a time, each agent work (CloneGate): a fork during the warm-up waits for one step only.
        CloneGate.workStarting();
        try {
            ForkSnapshot s = recorder.complete(recorder.record(0));
            CloneGate.workDone();
            CloneGate.workStarting();
            ForkReport report = builder.build(s, ProcTasks.read(s.osThreadIds()), s.childPid(), tracking.get());
            CloneGate.workDone();
            CloneGate.workStarting();
            publisher.warmUp(report);
        } catch (Throwable t) {
            log.debug("forkguard: warm-up failed: {}", t.toString());
        } finally {
            CloneGate.workDone();
        }
    }

    private void runHousekeeping() {
        try {
            housekeeping.run();
        } catch (Throwable t) {
            log.debug("forkguard: housekeeping failed: {}", t.toString());
        }
    }

}
