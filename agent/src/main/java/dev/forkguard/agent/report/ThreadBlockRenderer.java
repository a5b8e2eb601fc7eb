package dev.forkguard.agent.report;

import dev.forkguard.agent.report.ForkReport.ExecutorEntry;
import dev.forkguard.agent.report.ForkReport.LockEntry;
import dev.forkguard.agent.report.ForkReport.OsThreadEntry;
import dev.forkguard.agent.report.ForkReport.ThreadEntry;
import dev.forkguard.agent.report.python.PythonBlockRenderer;
import java.util.List;

/**
 * Renders a {@link ForkReport} as a jstack-like block a person can read without the source: the
 * forking thread, the threads that vanish with their origins and held locks, the locks left locked
 * with their creation sites, and the verdict.
 */
public final class ThreadBlockRenderer {

    private static final int FRAMES_SHOWN = 12;
    private static final java.util.Set<String> JDK_THREADS = java.util.Set.of("Reference Handler", "Finalizer",
            "Signal Dispatcher", "Common-Cleaner", "Notification Thread", "Attach Listener", "process reaper");

    private ThreadBlockRenderer() {}

    private static String millis(long micros) {
        return micros < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0)
                : (micros / 1000) + " ms";
    }

    public static String render(ForkReport r) {
        StringBuilder b = new StringBuilder(4096);
        b.append(r.headline()).append('\n');
        if (r.outcome() != null) {
            b.append("Child: ").append(r.outcome().verdict()).append(" (").append(r.outcome().detail()).append(")\n");
            for (String cause : r.outcome().causes()) {
                b.append("  - ").append(cause).append('\n');
            }
        }
        if (r.forkingThread() != null) {
            b.append("Forking thread (the only thread in the child):\n");
            thread(b, r.forkingThread(), r.orphanedLocks());
        }
        PythonBlockRenderer.forkingCode(b, r.python());
        // Python's own traceback says what the interpreter's native frames would (the JSON keeps them).
        if (r.nativeCallers() != null && !r.nativeCallers().isEmpty() && !PythonBlockRenderer.hasForkingCode(r.python())) {
            b.append("Native code that called fork() (likely callers, nearest first):\n");
            for (String frame : r.nativeCallers()) {
                b.append("      at ").append(frame).append('\n');
            }
        }
        int agentThreads = 0;
        StringBuilder jdkThreads = new StringBuilder();
        b.append("Threads that will not exist in the child");
        if (r.stacksAfterForkMicros() > 0) {
            // Exact at fork time: which threads, and who owned each java.util.concurrent lock.
            b.append(" (stacks and monitors as ").append(millis(r.stacksAfterForkMicros()))
                    .append(" after the fork)");
        }
        ForkReport.ThreadSummary summary = r.threadSummary();
        if (summary != null && summary.virtualThreads() > 0) {
            b.append(" (virtual threads: stacks and monitors as ")
                    .append(millis(summary.virtualThreadsAfterForkMicros())).append(" after the fork)");
        }
        b.append(":\n");
        java.util.Set<Integer> groupsShown = new java.util.HashSet<>();
        for (ThreadEntry t : r.vanishingThreads()) {
            if (t.group() != null) {
                if (groupsShown.add(t.group())) {
                    ThreadGroupBlock.render(b, summary, t.group(), FRAMES_SHOWN);
                }
            } else if (t.agentThread()) {
                agentThreads++;
            } else if (isQuietJdkThread(t, r.orphanedLocks())) {
                jdkThreads.append(jdkThreads.length() == 0 ? "" : ", ").append('"').append(t.name()).append("\" #")
                        .append(t.id());
            } else {
                thread(b, t, r.orphanedLocks());
            }
        }
        if (summary != null && summary.omitted() > 0) {
            b.append("  (the report lists ").append(summary.listed()).append(" threads one by one, at most ")
                    .append(summary.listCap()).append("; its groups count the other ").append(summary.omitted())
                    .append(")\n");
        }
        if (jdkThreads.length() > 0) {
            b.append("  JDK threads holding no lock: ").append(jdkThreads).append('\n');
        }
        if (agentThreads > 0) {
            b.append("  (and ").append(agentThreads).append(" of forkguard's own threads)\n");
        }
        osThreads(b, r.osThreads(), "JVM_INTERNAL", "  JVM-internal threads: ", r.parentPid());
        osThreads(b, r.osThreads(), "NATIVE", "  Native threads unknown to the JVM: ", r.parentPid());
        PythonBlockRenderer.vanishingThreads(b, r.python());
        if (!r.orphanedLocks().isEmpty()) {
            b.append("Locks that stay locked in the child (").append(r.orphanedLocks().size()).append("):\n");
            for (LockEntry l : r.orphanedLocks()) {
                b.append("  ").append("MONITOR".equals(l.kind()) ? "monitor " : "").append(l.identity());
                if (l.holderId() < 0) {
                    b.append(' ').append(l.holderName()).append('\n');
                } else {
                    b.append(" held by \"").append(l.holderName()).append("\" #").append(l.holderId()).append('\n');
                }
                b.append("      created at ").append(l.createdAt() == null ? createdUnknown(l) : l.createdAt())
                        .append('\n');
                b.append("      locked at ").append(l.lockedAt() == null ? lockedUnknown(l) : l.lockedAt())
                        .append('\n');
            }
        }
        if (!r.classInitInProgress().isEmpty()) {
            b.append("Class initialisation in progress in vanishing threads:\n");
            for (ForkReport.ClassInitEntry c : r.classInitInProgress()) {
                b.append("  ").append(c.className()).append(" by \"").append(c.threadName()).append("\" #")
                        .append(c.threadId()).append('\n');
            }
        }
        notTracked(b, r.tracking());
        b.append("Verdict: ").append(r.verdict());
        return b.toString();
    }

    /** Says what the agent's bounds (trackRate, maxTracked, the site table) left out, when anything. */
    private static void notTracked(StringBuilder b, ForkReport.Tracking t) {
        if (t == null || (t.locksNotTracked() == 0 && t.threadsNotTracked() == 0)) {
            return;
        }
        b.append("Not tracked (trackRate, maxTracked): ").append(t.locksNotTracked()).append(" locks, ")
                .append(t.threadsNotTracked()).append(" threads and executors since the start; their creation "
                        + "sites are unknown, and such a lock held at a fork is seen only with heldLocks=heap\n");
    }

    private static void thread(StringBuilder b, ThreadEntry t, List<LockEntry> orphaned) {
        b.append("  \"").append(t.name()).append("\" #").append(t.id())
                .append(t.virtual() ? " virtual " : t.daemon() ? " daemon " : " ").append(t.state());
        ExecutorEntry ex = t.executor();
        if (t.virtual() && t.container() != null && !"<root>".equals(t.container())) {
            b.append(", in ").append(t.container());
        }
        if (ex != null) {
            b.append(", worker of ").append(ex.identity()).append(" created at ").append(ex.createdAt());
        } else if (t.startedAt() != null) {
            b.append(", started by \"").append(t.startedBy()).append("\" at ").append(t.startedAt());
        }
        b.append('\n');
        List<String> stack = t.stack();
        int shown = Math.min(stack.size(), FRAMES_SHOWN);
        for (int i = 0; i < shown; i++) {
            b.append("      at ").append(stack.get(i)).append('\n');
            for (LockEntry l : orphaned) {
                if (l.holderId() == t.id() && stack.get(i).equals(l.lockedAt())) {
                    b.append("      - locked ").append(l.identity()).append('\n');
                }
            }
        }
        if (stack.size() > shown) {
            b.append("      ... ").append(stack.size() - shown).append(" more\n");
        }
        for (LockEntry l : orphaned) {
            if (l.holderId() == t.id() && "SYNCHRONIZER".equals(l.kind())) {
                b.append("      - holds ").append(l.identity());
                if (l.createdAt() != null) {
                    b.append(", created at ").append(l.createdAt());
                }
                b.append('\n');
            }
        }
    }

    /** The JDK's own service threads, started before the agent, holding nothing: one line for all. */
    static boolean isQuietJdkThread(ThreadEntry t, List<LockEntry> orphaned) {
        if (!JDK_THREADS.contains(t.name())) {
            return false;
        }
        // Started, or pooled ("process reaper"), by the JDK itself: no frame outside the JDK.
        if (t.startedAt() != null && !isJdkFrame(t.startedAt())
                || t.executor() != null && !isJdkFrame(t.executor().createdAt())) {
            return false;
        }
        for (LockEntry l : orphaned) {
            if (l.holderId() == t.id()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJdkFrame(String frame) {
        return frame != null && (frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun."));
    }

    private static void osThreads(StringBuilder b, List<OsThreadEntry> threads, String kind, String label, int pid) {
        StringBuilder line = new StringBuilder();
        int n = 0;
        for (OsThreadEntry t : threads) {
            if (kind.equals(t.kind())) {
                line.append(n++ == 0 ? "" : ", ").append('"').append(t.name()).append("\" (tid ").append(t.tid())
                        .append(t.tid() == pid ? ", the process's first thread)" : ")");
            }
        }
        if (n > 0) {
            b.append(label).append(line).append('\n');
        }
    }

    private static String createdUnknown(LockEntry l) {
        return "MONITOR".equals(l.kind()) ? "(monitors are not tracked)" : "(not tracked: created before forkguard)";
    }

    private static String lockedUnknown(LockEntry l) {
        return "(not recorded by the JVM for java.util.concurrent locks)";
    }
}
