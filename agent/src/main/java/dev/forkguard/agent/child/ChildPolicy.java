package dev.forkguard.agent.child;

/** What a forked child does when it is about to block on a lock held by a vanished thread. */
public enum ChildPolicy {
    /** Say so on standard error and carry on: the acquisition blocks (a timed one times out). */
    REPORT,
    /** Throw {@code OrphanedLockError} from the acquisition instead of blocking for ever. */
    THROW,
    /** End the child at once with {@code childExitCode}. */
    EXIT;

    public static ChildPolicy of(String option) {
        return valueOf(option.toUpperCase(java.util.Locale.ROOT));
    }
}
