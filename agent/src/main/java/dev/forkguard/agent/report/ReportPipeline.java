package dev.forkguard.agent.report;

import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.probe.proc.ChildProcesses;
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
    private final ReportBuilder builder;
    private final List<Reporter> reporters;
    private final Supplier<ForkReport.Tracking> tracking;
    private final Logger log;
    private final Runnable housekeeping;
    private final Thread thread;

    /**
     * @param housekeeping run about once a second when no fork is waiting (resolving creation sites)
     */
    public ReportPipeline(ReportBuilder builder, List<Reporter> reporters, Supplier<ForkReport.Tracking> tracking,
            Runnable housekeeping, Logger log) {
        this.builder = builder;
        this.reporters = reporters;
        this.tracking = tracking;
        this.housekeeping = housekeeping;
        this.log = log;
        this.thread = new Thread(this::run, "forkguard-reporter");
        this.thread.setDaemon(true);
    }

    public Thread thread() {
        return thread;
    }

    public void start() {
        thread.start();
    }

    /** Called by the parent fork handler: queue and wake, nothing more. */
    @Override
    public void accept(ForkSnapshot snapshot) {
        queue.add(snapshot);
        LockSupport.unpark(thread);
    }

    private void run() {
        while (true) {
            ForkSnapshot s = queue.poll();
            if (s == null) {
                LockSupport.parkNanos(this, HOUSEKEEPING_NANOS);
                if (queue.isEmpty()) {
                    runHousekeeping();
                }
                continue;
            }
            try {
                ForkReport report = builder.build(s, newChild(s), tracking.get());
                for (Reporter r : reporters) {
                    r.report(report);
                }
            } catch (Throwable t) {
                log.warn("forkguard: could not report fork #{}: {}", s.sequence, t.toString());
            }
        }
    }

    private void runHousekeeping() {
        try {
            housekeeping.run();
        } catch (Throwable t) {
            log.debug("forkguard: housekeeping failed: {}", t.toString());
        }
    }

    /** The forking thread's child that was not there before the fork; null if it is already gone. */
    private static Integer newChild(ForkSnapshot s) {
        int[] after = ChildProcesses.of(s.pid, s.forkingTid);
        for (int pid : after) {
            boolean old = false;
            for (int before : s.childrenBefore) {
                old |= before == pid;
            }
            if (!old) {
                return pid;
            }
        }
        return null;
    }
}
