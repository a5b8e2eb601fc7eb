package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/** As {@link LockAcquireAdvice}, for {@code tryLock(long, TimeUnit)}: reported, and keeps its time-out. */
public final class TimedLockAcquireAdvice {

    private TimedLockAcquireAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object lock, @Advice.FieldValue("sync") Object sync) {
        if (ForkguardBridge.forkInFlight()) {
            ForkguardBridge.lockAcquiring(lock, sync, true);
        }
    }
}
