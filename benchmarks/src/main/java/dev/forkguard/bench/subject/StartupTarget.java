package dev.forkguard.bench.subject;

/**
 * Prints {@link System#nanoTime()} first thing in {@code main}. On Linux the JVM reads CLOCK_MONOTONIC,
 * one clock for every process, so the harness subtracts the instant it started this JVM.
 */
public final class StartupTarget {

    private StartupTarget() {
    }

    public static void main(String[] args) throws Exception {
        long atMain = System.nanoTime();
        TargetSupport.result("mainNanos", atMain);
        TargetSupport.result("rssBytes", TargetSupport.rssBytes());
        TargetSupport.result("javaVersion", System.getProperty("java.runtime.version"));
    }
}
