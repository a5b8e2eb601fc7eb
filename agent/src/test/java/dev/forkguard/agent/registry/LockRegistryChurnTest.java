package dev.forkguard.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Ten million short-lived locks, each recorded with its creation site, leave nothing behind. */
class LockRegistryChurnTest {

    private static final int LOCKS = 10_000_000;

    @Test
    void tenMillionShortLivedLocksLeaveNoGrowthAfterGc() throws Exception {
        LockRegistry registry = new LockRegistry(1_000_000, 8, TrackingBudget.UNLIMITED);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        churn(registry, 100_000); // warm up: sites interned, tables sized
        long before = usedAfterGc(memory, registry);

        churn(registry, LOCKS);
        long after = usedAfterGc(memory, registry);

        assertThat(registry.size()).as("live entries after GC").isLessThan(1_000);
        assertThat(after - before).as("heap growth in bytes (before %d, after %d)", before, after)
                .isLessThan(4L * 1024 * 1024);
    }

    private static void churn(LockRegistry registry, int n) {
        for (int i = 0; i < n; i++) {
            ReentrantLock lock = new ReentrantLock();
            registry.record(lock, lock);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory, LockRegistry registry) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            registry.size(); // expunges entries whose locks were collected
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
