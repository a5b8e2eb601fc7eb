package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined after the constructors of locks built on an AQS {@code sync} field ({@code ReentrantLock},
 * {@code ReentrantReadWriteLock}, {@code Semaphore}). The {@code sync} is what the JVM reports as
 * owned at fork time, so it is the key the registry needs.
 */
public final class SyncLockCreationAdvice {

    private SyncLockCreationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object lock, @Advice.FieldValue("sync") Object sync) {
        ForkguardBridge.lockCreated(lock, sync);
    }
}
