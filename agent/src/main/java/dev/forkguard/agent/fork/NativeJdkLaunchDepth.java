package dev.forkguard.agent.fork;

import dev.forkguard.bridge.JdkLaunchDepth;
import dev.forkguard.probe.AtforkLibrary;

/** Keeps the JDK-launch depth in the C fork handlers' thread-local state (one direct-mapped call). */
public final class NativeJdkLaunchDepth implements JdkLaunchDepth {

    @Override
    public void entered() {
        AtforkLibrary.launchEntered();
    }

    @Override
    public void left() {
        AtforkLibrary.launchLeft();
    }
}
