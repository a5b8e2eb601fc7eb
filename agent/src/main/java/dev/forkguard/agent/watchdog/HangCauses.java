package dev.forkguard.agent.watchdog;

import dev.forkguard.agent.report.ForkReport;
import dev.forkguard.agent.report.ForkReport.ClassInitEntry;
import dev.forkguard.agent.report.ForkReport.LockEntry;
import dev.forkguard.agent.report.ForkReport.OsThreadEntry;
import java.util.ArrayList;
import java.util.List;

/** The likely reasons a child hangs, read from what the fork-time snapshot says the child lost. */
final class HangCauses {

    private static final int MAX_LOCKS = 5;

    private HangCauses() {}

    /** Lock holders are always listed in the report (never folded into a group or capped away). */
    private static boolean isVirtual(ForkReport r, long threadId) {
        for (ForkReport.ThreadEntry t : r.vanishingThreads()) {
            if (t.id() == threadId) {
                return t.virtual();
            }
        }
        return false;
    }

    static List<String> of(ForkReport r) {
        List<String> causes = new ArrayList<>();
        int n = 0;
        for (LockEntry l : r.orphanedLocks()) {
            if (n++ == MAX_LOCKS) {
                causes.add("and " + (r.orphanedLocks().size() - MAX_LOCKS) + " more locks held by vanished threads");
                break;
            }
            causes.add("orphaned lock: " + ("MONITOR".equals(l.kind()) ? "monitor " : "") + l.identity()
                    + (l.createdAt() == null ? "" : " created at " + l.createdAt())
                    + (l.holderId() < 0 ? ", taken at fork time (it records no owner)"
                            : ", held at fork time by " + (isVirtual(r, l.holderId())
                                    ? "virtual thread \"" + l.holderName() + "\" #" + l.holderId()
                                    : "\"" + l.holderName() + "\"") + ", which does not exist in the child"));
        }
        for (ClassInitEntry c : r.classInitInProgress()) {
            causes.add("class initialisation in progress: " + c.className() + " was being initialised by \""
                    + c.threadName() + "\"; its first use in the child waits for ever");
        }
        for (OsThreadEntry t : r.osThreads()) {
            if ("VM Thread".equals(t.name())) {
                causes.add("JVM-internal: no VM Thread in the child, so its first garbage collection or safepoint "
                        + "never completes; JVM-internal locks held by other vanished threads (class loading, "
                        + "string concatenation bootstrap) block the same way");
                break;
            }
        }
        causes.add("a hung JVM child ignores SIGTERM (its Signal Dispatcher thread is gone): end it with SIGKILL");
        return causes;
    }
}
