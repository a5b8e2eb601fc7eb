package dev.forkguard.agent.report;

import dev.forkguard.agent.report.python.PythonHost;
import java.util.List;

/**
 * One fork, as reported: what the child keeps, what it loses, and the verdict. It is the JSON
 * report's schema ({@code docs/REPORT.md}, {@link #SCHEMA}) and what every renderer reads, so a
 * saved report renders exactly as the live one did.
 */
public record ForkReport(
        String schema,
        String forkguardVersion,
        long sequence,
        String time,
        int parentPid,
        Integer childPid,
        String javaVersion,
        String severity,
        String headline,
        String verdict,
        long snapshotMicros,
        long stacksAfterForkMicros,
        ThreadEntry forkingThread,
        List<String> nativeCallers,
        List<ThreadEntry> vanishingThreads,
        List<OsThreadEntry> osThreads,
        List<LockEntry> orphanedLocks,
        List<ClassInitEntry> classInitInProgress,
        Tracking tracking,
        ChildOutcome outcome,
        ThreadSummary threadSummary,
        PythonHost python) {

    public static final String SCHEMA = "forkguard.fork-report/1";

    /** A report without a thread summary and without a host language's view. */
    public ForkReport(String schema, String forkguardVersion, long sequence, String time, int parentPid,
            Integer childPid, String javaVersion, String severity, String headline, String verdict,
            long snapshotMicros, long stacksAfterForkMicros, ThreadEntry forkingThread, List<String> nativeCallers,
            List<ThreadEntry> vanishingThreads, List<OsThreadEntry> osThreads, List<LockEntry> orphanedLocks,
            List<ClassInitEntry> classInitInProgress, Tracking tracking, ChildOutcome outcome) {
        this(schema, forkguardVersion, sequence, time, parentPid, childPid, javaVersion, severity, headline, verdict,
                snapshotMicros, stacksAfterForkMicros, forkingThread, nativeCallers, vanishingThreads, osThreads,
                orphanedLocks, classInitInProgress, tracking, outcome, null, null);
    }

    /**
     * How many Java threads vanish and how they were grouped. {@code vanishingThreads} lists at most
     * {@code listCap} of them (every thread shown alone, then members of each group); {@code omitted}
     * counts the rest, which their groups still count.
     */
    public record ThreadSummary(
            int javaThreads,
            int virtualThreads,
            int listed,
            int omitted,
            int listCap,
            long virtualThreadsAfterForkMicros,
            List<ThreadGroupEntry> groups) {}

    /**
     * Threads that hold no lock and share state, stack and origin, shown as one: {@code namePattern}
     * has '*' where their names differ; {@code someNames} holds up to five of their distinct names.
     */
    public record ThreadGroupEntry(
            int id,
            int count,
            String namePattern,
            String state,
            boolean virtual,
            boolean daemon,
            List<String> stack,
            String startedBy,
            String startedAt,
            ExecutorEntry executor,
            String container,
            long firstId,
            long lastId,
            List<String> someNames) {}

    /**
     * A Java thread: identity, state, stack, and where it came from when the agent saw it start. A
     * virtual thread has {@code virtual} set and its thread container (the executor that started it,
     * or {@code <root>}); {@code group} is the id of its {@link ThreadGroupEntry}, null when shown alone.
     */
    public record ThreadEntry(
            long id,
            String name,
            String state,
            boolean daemon,
            List<String> stack,
            String startedBy,
            String startedAt,
            List<String> startStack,
            ExecutorEntry executor,
            boolean agentThread,
            boolean virtual,
            String container,
            Integer group) {

        /** A platform thread shown alone. */
        public ThreadEntry(long id, String name, String state, boolean daemon, List<String> stack, String startedBy,
                String startedAt, List<String> startStack, ExecutorEntry executor, boolean agentThread) {
            this(id, name, state, daemon, stack, startedBy, startedAt, startStack, executor, agentThread, false, null,
                    null);
        }

        /**
         * The same thread as a member of group {@code groupId}, without its stack and start stack: the
         * group holds them once for all (docs/DESIGN.md, Virtual threads and many threads).
         */
        public ThreadEntry inGroup(int groupId) {
            return new ThreadEntry(id, name, state, daemon, List.of(), startedBy, startedAt, List.of(), executor,
                    agentThread, virtual, container, groupId);
        }
    }

    /** The executor a worker thread belongs to. */
    public record ExecutorEntry(String identity, String createdAt) {}

    /** An OS thread the JVM does not list as a Java thread; kind is JVM_INTERNAL or NATIVE. */
    public record OsThreadEntry(int tid, String name, String state, String kind) {}

    /**
     * A lock held at fork time by a thread that does not exist in the child. kind is SYNCHRONIZER
     * (a java.util.concurrent lock) or MONITOR ({@code synchronized}).
     */
    public record LockEntry(
            String kind,
            String type,
            String identity,
            long holderId,
            String holderName,
            String lockedAt,
            String createdAt,
            List<String> creationStack) {}

    /** A class whose static initialiser was running in a vanishing thread. */
    public record ClassInitEntry(String className, long threadId, String threadName) {}

    /**
     * What became of the child, from the parent's watchdog: verdict EXEC, EXITED, RUNNING or HUNG;
     * exit code or signal when it exited; how long after the fork; likely causes when it hung.
     */
    public record ChildOutcome(
            String verdict,
            Integer exitCode,
            Integer signal,
            long afterMillis,
            String detail,
            List<String> causes) {}

    /** The same report with the child's outcome set. */
    public ForkReport withOutcome(ChildOutcome childOutcome) {
        return new ForkReport(schema, forkguardVersion, sequence, time, parentPid, childPid, javaVersion, severity,
                headline, verdict, snapshotMicros, stacksAfterForkMicros, forkingThread, nativeCallers, vanishingThreads, osThreads, orphanedLocks,
                classInitInProgress, tracking, childOutcome, threadSummary, python);
    }

    /**
     * How much the registries held, and how many locks and threads (with executors) were made but not
     * tracked since the start: over {@code trackRate}, over {@code maxTracked}, or a new creation site
     * with the site table full. Untracked locks held at a fork are missed unless heldLocks=heap.
     */
    public record Tracking(int locks, int threads, long locksNotTracked, long threadsNotTracked) {}
}
