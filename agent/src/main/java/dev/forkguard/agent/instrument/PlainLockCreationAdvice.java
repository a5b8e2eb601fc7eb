package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined after the constructor of {@code StampedLock}, which has no separate synchronizer. */
public final class PlainLockCreationAdvice {

    private PlainLockCreationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object lock) {
        ForkguardBridge.lockCreated(lock, lock);
    }
}
