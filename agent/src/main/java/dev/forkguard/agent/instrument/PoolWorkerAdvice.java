package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined after {@code ThreadPoolExecutor.Worker}'s constructor: links the new thread to its pool. */
public final class PoolWorkerAdvice {

    private PoolWorkerAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object executor, @Advice.FieldValue("thread") Thread worker) {
        ForkguardBridge.workerCreated(executor, worker);
    }
}
