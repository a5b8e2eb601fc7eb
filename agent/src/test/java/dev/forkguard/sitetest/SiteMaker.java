package dev.forkguard.sitetest;

import dev.forkguard.agent.registry.CreationSite;
import dev.forkguard.agent.registry.CreationSites;
import dev.forkguard.agent.registry.LockRegistry;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes creation sites from outside the agent's packages, whose frames the capture leaves out as
 * its own: what the application's code looks like to the registry.
 */
public final class SiteMaker {

    private SiteMaker() {}

    public static CreationSite lineA(CreationSites sites) {
        return sites.capture(ReentrantLock.class);
    }

    public static CreationSite lineB(CreationSites sites) {
        return sites.capture(ReentrantLock.class);
    }

    /** {@code depth} frames of this class above the capture. */
    public static CreationSite deep(CreationSites sites, int depth) {
        return depth == 0 ? sites.capture(ReentrantLock.class) : deep(sites, depth - 1);
    }

    /** A lock made and recorded as the advice in its constructor would. */
    public static ReentrantLock recordedLock(LockRegistry registry) {
        ReentrantLock lock = new ReentrantLock();
        registry.record(lock, lock);
        return lock;
    }

    /** The same call on another line: another site. */
    public static ReentrantLock recordedLockElsewhere(LockRegistry registry) {
        ReentrantLock lock = new ReentrantLock();
        registry.record(lock, lock);
        return lock;
    }
}
