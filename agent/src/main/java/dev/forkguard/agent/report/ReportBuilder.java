package dev.forkguard.agent.report;

import dev.forkguard.agent.registry.Frames;
import dev.forkguard.agent.registry.CreationSite;
import dev.forkguard.agent.registry.TrackedObject;
import dev.forkguard.agent.registry.ThreadOrigin;
import dev.forkguard.agent.report.ForkReport.ClassInitEntry;
import dev.forkguard.agent.report.ForkReport.ExecutorEntry;
import dev.forkguard.agent.report.ForkReport.LockEntry;
import dev.forkguard.agent.report.ForkReport.OsThreadEntry;
import dev.forkguard.agent.report.ForkReport.ThreadEntry;
import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.agent.snapshot.SnapshotRecorder;
import dev.forkguard.agent.report.python.PythonHost;
import dev.forkguard.agent.report.python.PythonHostParser;
import dev.forkguard.probe.proc.ProcTask;
import dev.forkguard.probe.stack.CallerStack;
import dev.forkguard.probe.stack.NativeFrame;
import dev.forkguard.probe.stack.NativeFrameResolver;
import java.io.IOException;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Works out, from a raw snapshot, what the child loses: the threads that will not exist in it, the
 * locks they hold (which stay locked for ever), the JVM's own threads, classes half-initialised,
 * and a verdict in plain words. Runs on the reporter thread, never in the fork window.
 */
public final class ReportBuilder {

    /** Comm names are cut to 15 characters by the kernel. */
    private static final int COMM_LENGTH = 15;
    private static final String JNA_CALLBACK = "com.sun.jna.CallbackReference";

    private static final int NATIVE_FRAMES = 16;

    private final String version;

    public ReportBuilder(String version) {
        this.version = version;
    }

    /**
     * @param osThreads the process's OS threads, named after the fork (those gone by then are left out)
     */
    public ForkReport build(ForkSnapshot s, List<ProcTask> osThreadsNamed, Integer childPid,
            ForkReport.Tracking tracking) {
        ThreadEntry forking = null;
        List<ThreadEntry> vanishing = new ArrayList<>();
        List<LockEntry> orphaned = new ArrayList<>();
        List<ClassInitEntry> classInits = new ArrayList<>();
        Map<String, Integer> javaNames = new HashMap<>();
        long carrierId = s.virtualFacts().forkingCarrierId();
        for (ThreadInfo info : s.threads()) {
            if (info == null || info.getThreadId() == carrierId) {
                continue; // the carrier of a forking virtual thread goes on in the child
            }
            boolean isForking = info.getThreadId() == s.forkingThreadId;
            if (!isForking) {
                // The forking thread's OS task is left out by its tid: its name must not hide another task.
                countName(javaNames, osName(info.getThreadName()));
            }
            ThreadEntry entry = threadEntry(info, s.origins().get(info.getThreadId()),
                    s.agentThreadIds.contains(info.getThreadId()),
                    isForking ? forkingStack(s.forkingStack, s.stackDepth) : info.getStackTrace());
            if (isForking) {
                // A status query (sequence 0) runs on the thread that asked, not on a forking one.
                forking = s.sequence == 0 ? null : entry;
                continue;
            }
            vanishing.add(entry);
            if (entry.agentThread()) {
                continue;
            }
            addHeldLocks(info, s.ownedLocks.get(info.getThreadId()), orphaned);
            for (StackTraceElement f : info.getStackTrace()) {
                if ("<clinit>".equals(f.getMethodName())) {
                    classInits.add(new ClassInitEntry(f.getClassName(), info.getThreadId(), info.getThreadName()));
                }
            }
        }
        int virtualVanishing = VirtualThreadEntries.add(s, vanishing, orphaned, classInits);
        if (forking == null && s.sequence != 0) {
            // A virtual thread (not in the platform dump), or stacks taken after the fork when the forking
            // thread had already ended: it is known anyway.
            boolean virtual = s.virtualFacts().forkingThreadVirtual();
            forking = new ThreadEntry(s.forkingThreadId, s.forkingThreadName, "RUNNABLE",
                    s.forkingThreadDaemon, Frames.format(forkingStack(s.forkingStack, s.stackDepth)), null, null,
                    List.of(), null, false, virtual, null, null);
        }
        List<TrackedObject> ownerless = s.ownedLocks.get(SnapshotRecorder.NO_OWNER);
        if (ownerless != null) {
            for (TrackedObject r : ownerless) {
                CreationSite site = r.site();
                orphaned.add(new LockEntry("SYNCHRONIZER", r.type(), r.identity(), SnapshotRecorder.NO_OWNER,
                        "(no owner recorded: taken at fork time)", null,
                        site == CreationSite.UNTRACKED ? null : site.describe(), Frames.format(site.frames())));
            }
        }
        List<OsThreadEntry> osThreads = osThreads(s.pid, s.forkingTid, s.osThreadIds(), osThreadsNamed, javaNames);
        PythonHost python = PythonHostParser.parse(s.hostContext());
        if (python != null) {
            // Python threads are listed, with their stacks, in Python's section: not as unknown native ones.
            osThreads.removeIf(t -> "NATIVE".equals(t.kind()) && python.isVanishingPythonThread(t.tid()));
        }
        int javaVanishing = 0;
        for (ThreadEntry t : vanishing) {
            javaVanishing += t.agentThread() ? 0 : 1;
        }
        java.util.Set<Long> alone = aloneIds(orphaned, classInits);
        for (ThreadEntry t : vanishing) {
            if (ThreadBlockRenderer.isQuietJdkThread(t, orphaned)) {
                alone.add(t.id()); // the JDK's own service threads keep their one shared line
            }
        }
        ThreadGrouping.Result grouped = ThreadGrouping.group(vanishing, alone, ThreadGrouping.LIST_CAP);
        ForkReport.ThreadSummary summary = new ForkReport.ThreadSummary(javaVanishing,
                virtualVanishing, grouped.listed().size(), grouped.omitted(), ThreadGrouping.LIST_CAP,
                s.virtualThreadsLateNanos() / 1000, grouped.groups());
        String severity = orphaned.isEmpty() && classInits.isEmpty() ? "INFO" : "WARN";
        int jvmInternal = 0;
        boolean vmThreadGone = false;
        for (OsThreadEntry t : osThreads) {
            if ("JVM_INTERNAL".equals(t.kind())) {
                jvmInternal++;
                vmThreadGone |= JvmThreadNames.isVmThread(t.name());
            }
        }
        String forkingName = forking == null ? (s.sequence == 0 ? "the thread that forks" : "tid " + s.forkingTid)
                : '"' + forking.name() + '"';
        String headline = (s.sequence == 0 ? "status of pid " + s.pid + ": if one of its threads forked now"
                : "fork #" + s.sequence + " in pid " + s.pid + " by thread "
                + forkingName + " (tid " + s.forkingTid + "), child pid "
                + (childPid == null ? "unknown" : String.valueOf(childPid)))
                + ": " + javaVanishing + (virtualVanishing == 0 ? " Java" : " Java threads, of which "
                        + virtualVanishing + " virtual")
                + (python != null ? ", " + python.vanishingThreads().size() + " Python and "
                        : virtualVanishing == 0 ? " and " : ", and ")
                + (osThreads.size()) + " other threads vanish in the child, "
                + orphaned.size() + (orphaned.size() == 1 ? " lock" : " locks") + " they hold stay"
                + (orphaned.size() == 1 ? "s" : "") + " locked";
        String verdict = verdict(forkingName, javaVanishing, python == null ? -1 : python.vanishingThreads().size(),
                jvmInternal, osThreads.size() - jvmInternal, orphaned, classInits, vmThreadGone);
        return new ForkReport(ForkReport.SCHEMA, version, s.sequence, Instant.ofEpochMilli(s.epochMillis).toString(),
                s.pid, childPid, Runtime.version().toString(), severity, headline, verdict, s.recordNanos / 1000,
                s.stacksLateNanos() / 1000,
                forking, nativeCallers(s), grouped.listed(), osThreads, orphaned, classInits, tracking,
                null, summary, python);
    }

    /** Threads never folded into a group: those holding a lock and those initialising a class. */
    private static java.util.Set<Long> aloneIds(List<LockEntry> orphaned, List<ClassInitEntry> classInits) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (LockEntry l : orphaned) {
            ids.add(l.holderId());
        }
        for (ClassInitEntry c : classInits) {
            ids.add(c.threadId());
        }
        return ids;
    }

    /**
     * The native code that called {@code fork()}, nearest first, up to the first JVM or JNA frame;
     * null when not captured. Empty when Java forked (the forking thread has Java frames below the
     * handler's): whatever foreign-function library or JNI method made the call, the Java stack says
     * it all, and a stack scan through that library's frames would find only stale words.
     */
    private static List<String> nativeCallers(ForkSnapshot s) {
        CallerStack stack = s.nativeCallers;
        if (stack == null) {
            return null;
        }
        if (forkingStack(s.forkingStack, 1).length > 0) {
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            for (NativeFrame f : NativeFrameResolver.resolve(stack, NATIVE_FRAMES)) {
                out.add(f.toString());
            }
            return out;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static ThreadEntry threadEntry(ThreadInfo info, ThreadOrigin origin, boolean agentThread,
            StackTraceElement[] stack) {
        ExecutorEntry executor = null;
        TrackedObject ex = origin == null ? null : origin.executor();
        if (ex != null) {
            executor = new ExecutorEntry(ex.identity(), ex.site().describe());
        }
        return threadEntry(info.getThreadId(), info.getThreadName(), info.getThreadState().name(), info.isDaemon(),
                Frames.format(stack), origin, executor, agentThread, false, null);
    }

    /** A thread shown alone, with who started it and where, when the registry saw its start ({@code origin}). */
    static ThreadEntry threadEntry(long id, String name, String state, boolean daemon, List<String> stack,
            ThreadOrigin origin, ExecutorEntry executor, boolean agentThread, boolean virtual, String container) {
        String startedBy = null;
        String startedAt = null;
        List<String> startStack = List.of();
        if (origin != null) {
            startedBy = origin.starterName();
            CreationSite site = origin.startSite();
            if (site != null) {
                startedAt = site.describe();
                startStack = Frames.format(site.frames());
            }
        }
        return new ThreadEntry(id, name, state, daemon, stack, startedBy, startedAt, startStack, executor, agentThread,
                virtual, container, null);
    }

    /**
     * The forking thread was inside the fork handler when its stack was taken: drop the snapshot's,
     * the handler's and JNA's callback frames, so the stack starts at the call of {@code fork()}, and
     * keep as many frames as the other threads got.
     */
    static StackTraceElement[] forkingStack(Throwable capture, int depth) {
        StackTraceElement[] stack = capture.getStackTrace();
        int from = 0;
        for (int i = stack.length - 1; i >= 0; i--) {
            if (stack[i].getClassName().startsWith(JNA_CALLBACK)) {
                from = i + 1;
                break;
            }
        }
        return Arrays.copyOfRange(stack, from, Math.min(stack.length, from + Math.max(depth, 1)));
    }

    private static void addHeldLocks(ThreadInfo info, List<TrackedObject> owned, List<LockEntry> out) {
        addOwned(owned, info.getThreadId(), info.getThreadName(), out);
        for (MonitorInfo m : info.getLockedMonitors()) {
            out.add(new LockEntry("MONITOR", m.getClassName(), m.toString(), info.getThreadId(), info.getThreadName(),
                    Frames.format(m.getLockedStackFrame()), null, List.of()));
        }
    }

    /** The tracked locks thread {@code id} owned at the fork (none when {@code owned} is null). */
    static void addOwned(List<TrackedObject> owned, long id, String holder, List<LockEntry> out) {
        if (owned == null) {
            return;
        }
        for (TrackedObject r : owned) {
            CreationSite site = r.site();
            out.add(new LockEntry("SYNCHRONIZER", r.type(), r.identity(), id, holder, null,
                    site == CreationSite.UNTRACKED ? null : site.describe(), Frames.format(site.frames())));
        }
    }

    /** Name of a thread listed at the fork whose {@code comm} could no longer be read after it. */
    public static final String UNNAMED = "(ended before its name was read)";

    /**
     * @param listed every OS thread id listed inside the fork window
     * @param tasks those of them whose name and state could be read after the fork
     */
    private static List<OsThreadEntry> osThreads(int pid, int forkingTid, int[] listed, List<ProcTask> tasks,
            Map<String, Integer> javaNames) {
        // The launcher's first thread (tid = pid) and the Java main thread are both called "java":
        // match Java names against the other threads first, so the first thread is the one left over.
        List<ProcTask> ordered = new ArrayList<>(tasks);
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).tid() == pid) {
                ordered.add(ordered.remove(i));
                break;
            }
        }
        List<OsThreadEntry> out = new ArrayList<>();
        for (ProcTask task : ordered) {
            if (task.tid() == forkingTid) {
                continue;
            }
            Integer left = javaNames.get(task.name());
            if (left != null && left > 0) {
                javaNames.put(task.name(), left - 1); // a Java thread, already listed with its stack
                continue;
            }
            String kind = JvmThreadNames.isJvmInternal(task.name()) ? "JVM_INTERNAL" : "NATIVE";
            out.add(new OsThreadEntry(task.tid(), task.name(), String.valueOf(task.state()), kind));
        }
        // A thread listed at the fork vanished in the child even if it ended before its name was read:
        // it is never dropped (see docs/DESIGN.md, The fork window). A Java thread whose task was not
        // found by name is the likelier one to have ended (it is listed with its stack already).
        int javaLeft = 0;
        for (int left : javaNames.values()) {
            javaLeft += Math.max(left, 0);
        }
        java.util.Set<Integer> named = new java.util.HashSet<>();
        for (ProcTask task : tasks) {
            named.add(task.tid());
        }
        for (int tid : listed) {
            if (tid == forkingTid || named.contains(tid)) {
                continue;
            }
            if (javaLeft > 0) {
                javaLeft--;
                continue;
            }
            out.add(new OsThreadEntry(tid, UNNAMED, "X", "NATIVE"));
        }
        return out;
    }

    /** The OS name a Java thread runs under: its name cut to 15; "java" for main, which HotSpot does not rename. */
    private static String osName(String javaName) {
        if ("main".equals(javaName)) {
            return "java";
        }
        return javaName.length() > COMM_LENGTH ? javaName.substring(0, COMM_LENGTH) : javaName;
    }

    private static void countName(Map<String, Integer> names, String name) {
        Integer n = names.get(name);
        names.put(name, n == null ? 1 : n + 1);
    }

    /** @param pythonThreads vanishing Python threads, or -1 when the fork did not come from Python */
    private static String verdict(String forkingName, int javaThreads, int pythonThreads, int jvmInternal,
            int nativeThreads,
            List<LockEntry> orphaned, List<ClassInitEntry> classInits, boolean vmThreadGone) {
        StringBuilder b = new StringBuilder();
        b.append("Unless the child calls exec at once, it runs with one thread, ").append(forkingName).append("; ")
                .append(javaThreads).append(" Java, ").append(pythonThreads < 0 ? "" : pythonThreads + " Python, ")
                .append(jvmInternal).append(" JVM-internal and ")
                .append(nativeThreads).append(" native threads do not exist in it. ");
        if (!orphaned.isEmpty()) {
            LockEntry first = orphaned.get(0);
            b.append(orphaned.size()).append(orphaned.size() == 1 ? " lock held by those threads stays"
                    : " locks held by those threads stay").append(" locked for ever: a thread of the child that takes ")
                    .append(first.identity());
            if (first.createdAt() != null) {
                b.append(" (created at ").append(first.createdAt()).append(')');
            }
            b.append(", held by \"").append(first.holderName()).append("\", blocks for ever. ");
        }
        if (!classInits.isEmpty()) {
            b.append("Class ").append(classInits.get(0).className())
                    .append(" was being initialised by a vanishing thread: its first use in the child waits for ever. ");
        }
        if (vmThreadGone) {
            b.append("Without the VM Thread the child's first garbage collection or safepoint never completes. ");
        }
        b.append("Exec right after fork (or use posix_spawn), or fork before the JVM starts.");
        return b.toString();
    }
}
