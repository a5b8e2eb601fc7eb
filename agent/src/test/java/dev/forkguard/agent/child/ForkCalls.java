package dev.forkguard.agent.child;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The fork handlers' calls, made by test threads, for the gate tests. */
final class ForkCalls {

    private ForkCalls() {}

    /** A thread that makes a whole fork's handler calls, telling {@code ready} when its clone may start. */
    static Thread forker(CountDownLatch ready) {
        return forker(ready, new CountDownLatch(0));
    }

    /** As {@link #forker(CountDownLatch)}, its parent handler waiting for {@code parentHandler}. */
    static Thread forker(CountDownLatch ready, CountDownLatch parentHandler) {
        return new Thread(() -> {
            ForkState.forkStarting();
            ForkState.readyToClone();
            ready.countDown();
            await(parentHandler);
            ForkState.forkDone();
        });
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
