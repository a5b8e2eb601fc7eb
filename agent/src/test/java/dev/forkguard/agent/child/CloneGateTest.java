package dev.forkguard.agent.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forkguard.probe.Libc;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's own work and clones never overlap, except when work stalls past the bound. */
class CloneGateTest {

    @BeforeAll
    static void thisJvmIsTheParent() throws Exception {
        Libc.bind();
        ForkState.init(Libc.getpid());
    }

    @Test
    void agentWorkWaitsForACloneUnderWay() throws Exception {
        CountDownLatch cloning = new CountDownLatch(1);
        CountDownLatch parentHandler = new CountDownLatch(1);
        Thread forker = ForkCalls.forker(cloning, parentHandler);
        forker.start();
        assertThat(cloning.await(30, TimeUnit.SECONDS)).isTrue();

        CountDownLatch worked = new CountDownLatch(1);
        Thread worker = new Thread(() -> CloneGate.run(worked::countDown));
        worker.start();
        // A bounded look, not a timing claim: nothing lets the work start before forkDone.
        assertThat(worked.await(200, TimeUnit.MILLISECONDS)).isFalse();
        parentHandler.countDown();
        assertThat(worked.await(30, TimeUnit.SECONDS)).isTrue();
        forker.join();
        worker.join();
    }

    @Test
    void aCloneWaitsForAgentWorkUnderWay() throws Exception {
        int timedOutBefore = CloneGate.timedOut();
        assertACloneWaitsForWorkUnderWay();
        assertThat(CloneGate.timedOut()).isEqualTo(timedOutBefore);
    }

    @Test
    void stalledWorkCostsOneCloneTheBoundNotEvery() throws Exception {
        int timedOutBefore = CloneGate.timedOut();
        CloneGate.workStarting(); // work that never ends while the two clones run
        try {
            for (int i = 0; i < 2; i++) {
                CountDownLatch ready = new CountDownLatch(1);
                Thread forker = ForkCalls.forker(ready);
                forker.start();
                assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
                forker.join();
            }
            // The first clone waited out the bound; the second did not wait at all.
            assertThat(CloneGate.timedOut()).isEqualTo(timedOutBefore + 1);
        } finally {
            CloneGate.workDone();
        }
        // Once no work runs, clones wait again.
        assertACloneWaitsForWorkUnderWay();
    }

    /** Work under way holds a clone back (a bounded look, not a timing claim); once done, the clone goes. */
    private static void assertACloneWaitsForWorkUnderWay() throws InterruptedException {
        CloneGate.workStarting();
        CountDownLatch ready = new CountDownLatch(1);
        Thread forker = ForkCalls.forker(ready);
        try {
            forker.start();
            assertThat(ready.await(200, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            CloneGate.workDone();
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        forker.join();
    }
}
