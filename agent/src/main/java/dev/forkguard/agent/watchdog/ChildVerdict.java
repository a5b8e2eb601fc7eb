package dev.forkguard.agent.watchdog;

/** What became of a forked child, as the parent sees it through {@code /proc}. */
public enum ChildVerdict {
    /** The child ran exec: the fork was the first half of a spawn, and harmless. */
    EXEC,
    /** The child ended without exec (its exit code or signal is known while it is a zombie). */
    EXITED,
    /** The child runs on without exec, making progress or waiting on something that can end the wait. */
    RUNNING,
    /**
     * Every task of the child waits, with no time-out, on a process-private futex (the same ones sample
     * after sample) and it uses no CPU: only a thread of its own could wake it, and none is free to.
     */
    HUNG,
    /** The child was HUNG for the grace period and forkguard ended it with SIGKILL ({@code onHung=kill}). */
    KILLED
}
