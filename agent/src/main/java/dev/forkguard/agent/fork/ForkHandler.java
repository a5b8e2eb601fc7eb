package dev.forkguard.agent.fork;

import dev.forkguard.agent.child.CloneGate;
import dev.forkguard.agent.child.ForkState;
import dev.forkguard.agent.snapshot.ForkSnapshot;
import dev.forkguard.agent.snapshot.SnapshotRecorder;
import dev.forkguard.bridge.ForkguardBridge;
import dev.forkguard.probe.AtforkCallback;
import dev.forkguard.probe.Libc;
import dev.forkguard.probe.proc.ChildrenListing;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The fork handlers registered in libc. {@code prepare} runs in the forking thread before the clone
 * and only records raw facts; {@code parent} runs after it, in the parent only, and hands the
 * snapshot on. Neither renders, logs nor writes: that would stretch the fork pause the application
 * sees. There is deliberately no child handler (see {@link ForkState}).
 *
 * <p>Registered either directly (JNA callbacks: the Java fallback) or behind the agent's C handlers,
 * which call them only for forks that are reported; the same checks then simply pass.
 *
 * <p>Two threads may fork at once, and glibc may interleave their handlers, so each forking thread
 * keeps its own snapshot until its parent handler runs.
 */
public final class ForkHandler {

    private final SnapshotRecorder recorder;
    private final Consumer<ForkSnapshot> sink;
    private final InternalFaults faults;
    private final AtomicLong sequence = new AtomicLong();
    /**
     * Each forking OS thread's snapshot, from its prepare to its parent handler. Keyed by thread id, not
     * by {@code Thread}: JNA attaches a thread the JVM does not know (Python's, C's) for each callback
     * and detaches it after, so its two handlers run under two {@code Thread} objects.
     */
    private final ConcurrentHashMap<Integer, ForkSnapshot> pending = new ConcurrentHashMap<>();
    private final int jvmPid;

    /** Strong references for the life of the JVM: libc keeps only the function pointers. */
    private final AtforkCallback prepare = new AtforkCallback() {
        @Override
        public void invoke() {
            onPrepare();
        }
    };

    private final AtforkCallback parent = new AtforkCallback() {
        @Override
        public void invoke() {
            onParent();
        }
    };

    /**
     * @param recorder captures the snapshot inside the fork window
     * @param sink receives each snapshot after the fork; must return at once (it queues)
     * @param faults counts snapshots that failed, for the reporter to say so once
     */
    public ForkHandler(int jvmPid, SnapshotRecorder recorder, Consumer<ForkSnapshot> sink, InternalFaults faults) {
        this.jvmPid = jvmPid;
        this.recorder = recorder;
        this.sink = sink;
        this.faults = faults;
    }

    /**
     * A fork made by a forked child of the JVM (its pid is not the JVM's: a double fork, a pool worker
     * that forks) or inside a JDK launch is not reported, and its handlers return at once. In a child
     * that is the whole rule: no snapshot, no thread dump, no safepoint, which the child's missing VM
     * Thread would never start. One direct-mapped {@code getpid} comes first, before anything else.
     * The C handlers ({@code AtforkLibrary}) decide the same before entering Java at all.
     */
    private boolean notReported() {
        return Libc.getpid() != jvmPid || ForkguardBridge.inJdkLaunch();
    }

    /** The pid of the JVM whose forks these handlers report. */
    public int jvmPid() {
        return jvmPid;
    }

    public AtforkCallback prepareCallback() {
        return prepare;
    }

    public AtforkCallback parentCallback() {
        return parent;
    }

    void onPrepare() {
        if (notReported()) {
            return;
        }
        ForkState.forkStarting();
        try {
            ForkSnapshot snapshot = recorder.record(sequence.incrementAndGet());
            pending.put(snapshot.forkingTid, snapshot);
        } catch (Throwable t) {
            // A failed snapshot must never fail the fork: that fork goes unreported, and is counted.
            pending.remove(Libc.gettid());
            faults.snapshotFailed(t);
        }
    }

    void onParent() {
        if (notReported()) {
            return; // prepare returned at once too: same process, same thread, same launch depth
        }
        ForkState.forkDone();
        CloneGate.workStarting();
        try {
            ForkSnapshot snapshot = pending.remove(Libc.gettid());
            if (snapshot != null) {
                snapshot.childrenAfterFork(ChildrenListing.ofCallingThread(snapshot.pid, snapshot.forkingTid),
                        System.nanoTime());
                sink.accept(snapshot);
            }
        } catch (Throwable t) {
            // Never into the forking code: the fork goes unreported.
        } finally {
            CloneGate.workDone();
        }
    }
}
