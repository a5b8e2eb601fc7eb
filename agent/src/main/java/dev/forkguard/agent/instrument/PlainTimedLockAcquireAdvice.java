package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** As {@link TimedLockAcquireAdvice}, for {@code StampedLock}'s timed acquisitions. */
public final class PlainTimedLockAcquireAdvice {

    private PlainTimedLockAcquireAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object lock) {
        if (ForkguardBridge.forkInFlight()) {
            ForkguardBridge.lockAcquiring(lock, lock, true);
        }
    }
}
