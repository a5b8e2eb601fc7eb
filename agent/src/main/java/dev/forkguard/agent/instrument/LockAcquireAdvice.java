package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of the blocking acquisitions of {@code ReentrantLock} and of both locks of
 * {@code ReentrantReadWriteLock}. In the parent, outside a fork, it costs one volatile read. Not
 * {@code suppress}ed: under {@code childPolicy=throw} the bridge lets {@code OrphanedLockError} out,
 * and nothing else.
 */
public final class LockAcquireAdvice {

    private LockAcquireAdvice() {}

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object lock, @Advice.FieldValue("sync") Object sync) {
        if (ForkguardBridge.forkInFlight()) {
            ForkguardBridge.lockAcquiring(lock, sync, false);
        }
    }
}
