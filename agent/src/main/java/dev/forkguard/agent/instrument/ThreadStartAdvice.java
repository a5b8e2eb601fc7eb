package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Thread.start()}: reports who starts which thread, and from where. */
public final class ThreadStartAdvice {

    private ThreadStartAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread) {
        ForkguardBridge.threadStarting(thread);
    }
}
