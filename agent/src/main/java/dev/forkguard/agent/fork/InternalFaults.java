package dev.forkguard.agent.fork;

import dev.forkguard.bridge.ForkguardBridge;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Failures inside the agent that were kept from the application: a fork snapshot that threw (that
 * fork goes unreported) and hook calls that threw (swallowed by the bridge). Counted where they
 * happen, without logging there, and said once each, later, by the reporter thread.
 */
public final class InternalFaults {

    private final AtomicLong snapshotFailures = new AtomicLong();
    private volatile Throwable firstSnapshotFailure;
    private boolean snapshotsSaid;
    private boolean hooksSaid;

    /** Called in the fork window: a counter and, the first time, a reference; no allocation. */
    public void snapshotFailed(Throwable t) {
        if (snapshotFailures.getAndIncrement() == 0) {
            firstSnapshotFailure = t;
        }
    }

    public long snapshotFailures() {
        return snapshotFailures.get();
    }

    /** Logs each kind of fault the first time it is seen; later ones are only counted. */
    public synchronized void logFirst(Logger log) {
        long snapshots = snapshotFailures.get();
        if (!snapshotsSaid && snapshots > 0) {
            snapshotsSaid = true;
            log.warn("forkguard: {} fork{} went unreported: the snapshot failed inside the agent ({}); the fork "
                    + "itself went ahead; further failures are counted, not logged", snapshots,
                    snapshots == 1 ? "" : "s", String.valueOf(firstSnapshotFailure));
        }
        long hooks = ForkguardBridge.hookFailures();
        if (!hooksSaid && hooks > 0) {
            hooksSaid = true;
            log.warn("forkguard: {} call{} into the agent from instrumented code failed inside the agent ({}); "
                    + "the application's calls went ahead untracked; further failures are counted, not logged",
                    hooks, hooks == 1 ? "" : "s", String.valueOf(ForkguardBridge.firstHookFailure()));
        }
    }
}
