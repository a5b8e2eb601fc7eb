package dev.forkguard.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HostForkContextTest {

    private static String takeOnAnotherThread() throws InterruptedException {
        AtomicReference<String> taken = new AtomicReference<>("not run");
        Thread t = new Thread(() -> taken.set(HostForkContext.takeForCurrentFork()), "another forking thread");
        t.start();
        t.join(30_000);
        return taken.get();
    }

    @Test
    void theForkingThreadTakesWhatItHandedOverOnce() {
        HostForkContext.beforeFork("{\"host\":\"python\"}");
        assertThat(HostForkContext.takeForCurrentFork()).isEqualTo("{\"host\":\"python\"}");
        // A second fork (or a fork that follows a failed one) gets nothing stale.
        assertThat(HostForkContext.takeForCurrentFork()).isNull();
    }

    @Test
    void anotherThreadsForkNeitherGetsNorDropsIt() throws Exception {
        HostForkContext.beforeFork("mine");
        assertThat(takeOnAnotherThread()).isNull();
        assertThat(HostForkContext.takeForCurrentFork()).isEqualTo("mine");
    }

    @Test
    void theLaterHandOverWins() throws Exception {
        HostForkContext.beforeFork("first");
        HostForkContext.beforeFork("second");
        assertThat(HostForkContext.takeForCurrentFork()).isEqualTo("second");
    }

    @Test
    void aHandOverByAnotherThreadReplacesOnesNoForkTook() throws Exception {
        HostForkContext.beforeFork("left over: this thread's fork failed before libc's handlers");
        Thread other = new Thread(() -> HostForkContext.beforeFork("other's"));
        other.start();
        other.join(30_000);
        assertThat(HostForkContext.takeForCurrentFork()).isNull();
        HostForkContext.beforeFork("cleanup");
        HostForkContext.takeForCurrentFork();
    }
}
