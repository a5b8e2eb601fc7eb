package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined after {@code ForkJoinWorkerThread}'s constructors: links the thread to its pool. */
public final class ForkJoinWorkerAdvice {

    private ForkJoinWorkerAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Thread worker, @Advice.FieldValue("pool") Object pool) {
        ForkguardBridge.workerCreated(pool, worker);
    }
}
