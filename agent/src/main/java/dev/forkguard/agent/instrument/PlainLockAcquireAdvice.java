package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** As {@link LockAcquireAdvice}, for {@code StampedLock}, which has no separate synchronizer. */
public final class PlainLockAcquireAdvice {

    private PlainLockAcquireAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object lock) {
        if (ForkguardBridge.forkInFlight()) {
            ForkguardBridge.lockAcquiring(lock, lock, false);
        }
    }
}
