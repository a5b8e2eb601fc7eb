package dev.forkguard.agent.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.forkguard.probe.Libc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An agent thread dump and a clone never overlap: each waits for the other to end. */
class SafepointGateTest {

    @BeforeAll
    static void thisJvmIsTheParent() throws Exception {
        Libc.bind();
        ForkState.init(Libc.getpid());
    }

    @Test
    void aDumpWaitsForACloneUnderWay() throws Exception {
        CountDownLatch cloning = new CountDownLatch(1);
        CountDownLatch parentHandler = new CountDownLatch(1);
        Thread forker = ForkCalls.forker(cloning, parentHandler);
        forker.start();
        assertThat(cloning.await(30, TimeUnit.SECONDS)).isTrue();

        CountDownLatch dumped = new CountDownLatch(1);
        Thread dumper = new Thread(() -> {
            SafepointGate.dumpStarting();
            dumped.countDown();
            SafepointGate.dumpDone();
        });
        dumper.start();
        // While the clone is under way the dump does not start (a bounded look, not a timing claim:
        // nothing can let it through before forkDone).
        assertThat(dumped.await(200, TimeUnit.MILLISECONDS)).isFalse();

        parentHandler.countDown(); // the parent handler runs: the clone is over, the dump goes
        assertThat(dumped.await(30, TimeUnit.SECONDS)).isTrue();
        forker.join();
        dumper.join();
    }

    @Test
    void aCloneWaitsWhileADumpIsUnderWay() throws Exception {
        SafepointGate.dumpStarting();
        CountDownLatch ready = new CountDownLatch(1);
        Thread forker = ForkCalls.forker(ready);
        try {
            forker.start();
            assertThat(ready.await(200, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            SafepointGate.dumpDone();
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        forker.join();
    }
}
