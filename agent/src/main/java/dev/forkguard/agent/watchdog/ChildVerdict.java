package dev.forkguard.agent.watchdog;

/** What became of a forked child, as the parent sees it through {@code /proc}. */
public enum ChildVerdict {
    /** The child ran exec: the fork was the first half of a spawn, and harmless. */
    EXEC,
    /** The child ended without exec (its exit code or signal is known while it is a zombie). */
    EXITED,
    /** The child runs on without exec, making progress. */
    RUNNING,
    /** The child makes no progress and is blocked in a futex: it waits for a lock nobody will release. */
    HUNG
}
