package dev.forkguard.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handlers registered here stay for the rest of the test JVM; they only count. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AtforkRegistrarTest {

    private static final AtomicInteger PREPARES = new AtomicInteger();
    private static final AtomicInteger PARENTS = new AtomicInteger();
    private static final AtomicInteger PREPARE_TID = new AtomicInteger();
    private static final AtomicInteger PARENT_TID = new AtomicInteger();

    private static String used;

    static final class CountingPrepare implements AtforkCallback {
        @Override
        public void invoke() {
            PREPARES.incrementAndGet();
            PREPARE_TID.set(Libc.gettid());
        }
    }

    static final class CountingParent implements AtforkCallback {
        @Override
        public void invoke() {
            PARENTS.incrementAndGet();
            PARENT_TID.set(Libc.gettid());
        }
    }

    @BeforeAll
    static void register() throws ProbeUnavailableException {
        used = AtforkRegistrar.register(new CountingPrepare(), new CountingParent());
    }

    @Test
    void registersThroughTheFunctionTheCLibraryExports() {
        assertThat(used).isIn("__register_atfork", "pthread_atfork");
    }

    @Test
    void prepareAndParentHandlersRunOnceEachPerForkInTheForkingThread() throws InterruptedException {
        int prepares = PREPARES.get();
        int parents = PARENTS.get();

        int pid = ForkedChildren.forkExiting(0);
        int status = ForkedChildren.reap(pid, 10_000);

        assertThat(Libc.exitCode(status)).as("no child handler to trip the child").isZero();
        assertThat(PREPARES.get()).isEqualTo(prepares + 1);
        assertThat(PARENTS.get()).isEqualTo(parents + 1);
        assertThat(PREPARE_TID.get()).isEqualTo(Libc.gettid());
        assertThat(PARENT_TID.get()).isEqualTo(Libc.gettid());
    }

    @Test
    void handlersRunForForksFromAnyThread() throws InterruptedException {
        int prepares = PREPARES.get();
        AtomicInteger forkerTid = new AtomicInteger();
        AtomicInteger childPid = new AtomicInteger();
        Thread forker = new Thread(new Runnable() {
            @Override
            public void run() {
                forkerTid.set(Libc.gettid());
                childPid.set(ForkedChildren.forkExiting(0));
            }
        }, "probe-forker");
        forker.start();
        forker.join(10_000);
        ForkedChildren.reap(childPid.get(), 10_000);

        assertThat(PREPARES.get()).isEqualTo(prepares + 1);
        assertThat(PREPARE_TID.get()).isEqualTo(forkerTid.get());
    }

    @Test
    void defaultProcessBuilderLaunchRunsNoForkHandlers() throws Exception {
        // docs/DESIGN.md, Fork handlers from Java: POSIX_SPAWN (the default since JDK 12) never calls fork().
        String mechanism = System.getProperty("jdk.lang.Process.launchMechanism");
        assumeTrue(mechanism == null
                || mechanism.equalsIgnoreCase("POSIX_SPAWN") || mechanism.equalsIgnoreCase("VFORK"));
        int prepares = PREPARES.get();
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(PREPARES.get()).isEqualTo(prepares);
    }

    @Test
    void nullHandlersAreRejected() {
        assertThatThrownBy(() -> AtforkRegistrar.register(null, new CountingParent()))
                .isInstanceOf(NullPointerException.class);
    }
}
