package dev.forkguard.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.sitetest.SiteMaker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * What the registry keeps per lock and when it stops. The bytes a tracked lock costs are measured
 * by the benchmarks' memory harness (docs/PERFORMANCE.md), not asserted here.
 */
class LockRegistryTest {

    @Test
    void locksMadeOnOneLineShareOneSiteAndKeepTheirOwnIdentity() {
        LockRegistry registry = new LockRegistry(new TrackedCapacity(1_000), new CreationSites(8, 100),
                TrackingBudget.UNLIMITED);
        ReentrantLock[] ab = new ReentrantLock[2];
        for (int i = 0; i < ab.length; i++) {
            ab[i] = SiteMaker.recordedLock(registry); // one path: one site
        }
        ReentrantLock a = ab[0];
        ReentrantLock b = ab[1];
        ReentrantLock c = SiteMaker.recordedLockElsewhere(registry);
        // Recorded with the lock as its own synchronizer, so its identity hash finds it.
        TrackedObject ra = registry.bySynchronizerHash(System.identityHashCode(a));
        TrackedObject rb = registry.bySynchronizerHash(System.identityHashCode(b));
        TrackedObject rc = registry.bySynchronizerHash(System.identityHashCode(c));
        assertThat(ra.site()).isSameAs(rb.site());
        assertThat(rc.site()).isNotSameAs(ra.site());
        assertThat(ra.identity()).isEqualTo("java.util.concurrent.locks.ReentrantLock@"
                + Integer.toHexString(System.identityHashCode(a)));
        assertThat(ra.site().describe()).contains("SiteMaker.recordedLock(");
        assertThat(rc.site().describe()).contains("SiteMaker.recordedLockElsewhere(");
    }

    @Test
    void pastTheSharedCapacityLocksAndThreadsAreCountedNotTrackedUntilCollectedOnesGiveRoomBack()
            throws Exception {
        TrackedCapacity capacity = new TrackedCapacity(100);
        CreationSites sites = new CreationSites(8, 100);
        LockRegistry locks = new LockRegistry(capacity, sites, TrackingBudget.UNLIMITED);
        ThreadRegistry threads = new ThreadRegistry(capacity, sites, 100);
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            keep.add(SiteMaker.recordedLock(locks));
        }
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> { });
            keep.add(t);
            threads.threadStarting(t);
        }
        for (int i = 0; i < 5; i++) {
            keep.add(SiteMaker.recordedLock(locks));
        }
        assertThat(locks.size()).isEqualTo(90);
        assertThat(threads.trackedThreads()).isEqualTo(10);
        assertThat(locks.notTracked()).isEqualTo(5);
        assertThat(threads.notTracked()).isEqualTo(10);

        keep.clear();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (capacity.used() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            locks.expungeStale();
            threads.expungeStale();
        }
        assertThat(capacity.used()).isZero();
        Object kept = SiteMaker.recordedLock(locks);
        assertThat(locks.size()).isEqualTo(1);
        assertThat(kept).isNotNull();
    }

    @Test
    void aLockWhoseNewSiteFindsTheSiteTableFullIsCountedNotTracked() {
        LockRegistry registry = new LockRegistry(new TrackedCapacity(1_000), new CreationSites(8, 1),
                TrackingBudget.UNLIMITED);
        Object[] kept = new Object[3];
        for (int i = 0; i < 2; i++) {
            kept[i] = SiteMaker.recordedLock(registry);
        }
        kept[2] = SiteMaker.recordedLockElsewhere(registry);
        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.notTracked()).isEqualTo(1);
        assertThat(kept[2]).isNotNull();
    }
}
