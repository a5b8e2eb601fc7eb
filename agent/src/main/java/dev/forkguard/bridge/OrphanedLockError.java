package dev.forkguard.bridge;

/**
 * Thrown in a forked child, under {@code childPolicy=throw}, by a lock acquisition that would block
 * for ever: the lock was held at fork time by a thread that does not exist in the child. An
 * {@code Error}, so that a broad {@code catch (Exception e)} does not swallow it and carry on into
 * the next hang; catch it by this class or as {@code Error}.
 */
public final class OrphanedLockError extends Error {

    private static final long serialVersionUID = 1L;

    public OrphanedLockError(String message) {
        super(message);
    }

    /**
     * Made in the parent, before the fork, and thrown as is in the child, where allocating could
     * need a garbage collection that never completes: so it carries no stack trace.
     */
    public OrphanedLockError(String message, boolean preallocated) {
        super(message, null, false, !preallocated);
    }
}
