package dev.forkguard.bench.subject;

/**
 * Launches a program again and again with {@code ProcessBuilder} (the harness runs this JVM with
 * {@code -Djdk.lang.Process.launchMechanism=FORK}: fork, then exec) and prints each launch's time,
 * start to exit, after some unmeasured warm-up launches. Args: warm-ups, measured launches, program.
 */
public final class ForkLaunchTarget {

    private ForkLaunchTarget() {
    }

    public static void main(String[] args) throws Exception {
        int warmUps = Integer.parseInt(args[0]);
        int launches = Integer.parseInt(args[1]);
        String program = args[2];
        for (int i = 0; i < warmUps; i++) {
            launch(program);
        }
        long[] nanos = new long[launches];
        for (int i = 0; i < launches; i++) {
            nanos[i] = launch(program);
        }
        TargetSupport.result("launchNanos", nanos);
        TargetSupport.result("mechanism", System.getProperty("jdk.lang.Process.launchMechanism"));
        TargetSupport.result("javaVersion", System.getProperty("java.runtime.version"));
    }

    private static long launch(String program) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(program).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(program + " exited with " + p.exitValue());
        }
        return System.nanoTime() - start;
    }
}
