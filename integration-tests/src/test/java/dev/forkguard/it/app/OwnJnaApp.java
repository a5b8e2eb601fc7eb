package dev.forkguard.it.app;

import com.sun.jna.Native;
import dev.forkguard.probe.Libc;
import java.nio.file.Paths;

/** An application with its own JNA, of another version than the agent's: says which, forks once. */
public final class OwnJnaApp {

    private OwnJnaApp() {}

    public static void main(String[] args) throws Exception {
        // Not Native.VERSION: a compile-time constant, it would print the version compiled against.
        System.out.println("jna from " + Paths.get(Native.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).getFileName() + ", loaded by the application: "
                + (Native.class.getClassLoader() == ClassLoader.getSystemClassLoader()));
        Libc.bind();
        int exitCode = ChildWaits.forkExitingChild(10_000);
        System.out.println("forked and reaped a child, exit code " + exitCode);
        Thread.sleep(300);
    }
}
