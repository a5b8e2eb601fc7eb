package dev.forkguard.agent.child;

import dev.forkguard.agent.registry.VirtualThreads;

/**
 * Tells, in a forked child, whether a lock's owner is a virtual thread that existed at the fork, and
 * so vanished with its carrier. The fork window lists only platform threads (virtual ones are not in
 * the thread groups, and listing them would cost time growing with their number), so the live-id
 * test of {@link OrphanedLockCheck} cannot know them; thread ids only grow, so a virtual thread whose
 * id is below the bound read in the window existed at the fork, and one started in the child has a
 * larger id.
 *
 * <p>Child path (see docs/DESIGN.md, Child-safe code): a class test and two field reads, run in the parent by
 * {@link OrphanedLockCheck#warmUp}.
 */
public final class VanishedVirtualThreads {

    private static volatile long idBound = -1;

    private VanishedVirtualThreads() {}

    /** In the prepare handler: every thread with a smaller id existed at this fork. */
    public static void prepare(long bound) {
        idBound = bound;
    }

    /** True if {@code owner} is a virtual thread that existed at the fork. */
    static boolean vanished(Thread owner) {
        // Every call runs both calls (no short cut), so the parent's warm-up links each call site.
        boolean virtual = VirtualThreads.isVirtual(owner);
        long id = owner.getId();
        long bound = idBound;
        return virtual && bound > 0 && id < bound;
    }
}
