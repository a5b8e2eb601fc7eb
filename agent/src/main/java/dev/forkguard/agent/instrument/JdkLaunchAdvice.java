package dev.forkguard.agent.instrument;

import dev.forkguard.bridge.ForkguardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ProcessImpl.start}, where the JDK forks and execs a new program: a fork made
 * inside it runs no Java in the child, so the fork handlers skip it.
 */
public final class JdkLaunchAdvice {

    private JdkLaunchAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        ForkguardBridge.jdkLaunchStarting();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit() {
        ForkguardBridge.jdkLaunchEnded();
    }
}
