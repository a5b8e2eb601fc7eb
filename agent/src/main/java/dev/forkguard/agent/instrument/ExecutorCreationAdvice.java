package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined after the constructors of {@code ThreadPoolExecutor} and {@code ForkJoinPool}. */
public final class ExecutorCreationAdvice {

    private ExecutorCreationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object executor) {
        ForkguardBridge.executorCreated(executor);
    }
}
